# Virtual office: notifications
