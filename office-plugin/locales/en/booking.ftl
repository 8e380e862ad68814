# Virtual office: booking
