ALTER TABLE office_bookings DROP COLUMN lang;
