# Virtual office: calendar
