-- The citizen's language (pl, en), so that emails the office starts (a move, a cancellation)
-- reach them in the language they booked in.
ALTER TABLE office_bookings ADD COLUMN lang TEXT NOT NULL DEFAULT 'pl';
