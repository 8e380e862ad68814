# Virtual office: tasks
