//! Calendars of the virtual office. `ical` turns events into what Outlook and other calendar
//! clients read (iMIP invitations, cancellations, subscription feeds) and reads their replies; it
//! knows nothing of the database or HTTP, so the web layer and the mail ingest share it.

pub mod ical;
