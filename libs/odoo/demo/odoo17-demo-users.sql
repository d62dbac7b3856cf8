-- The two users every Odoo database has (OdooBot and the administrator), with their partners.
INSERT INTO res_partner (id, name, active, type, create_date, write_date) VALUES
  (1, 'OdooBot', false, 'contact', now() at time zone 'utc', now() at time zone 'utc'),
  (2, 'Mitchell Admin', true, 'contact', now() at time zone 'utc', now() at time zone 'utc')
ON CONFLICT (id) DO NOTHING;
SELECT setval(pg_get_serial_sequence('res_partner', 'id'), GREATEST((SELECT max(id) FROM res_partner), 1));

INSERT INTO res_users (id, login, partner_id, active, share) VALUES
  (1, '__system__', 1, false, false),
  (2, 'admin', 2, true, false)
ON CONFLICT (id) DO NOTHING;
SELECT setval(pg_get_serial_sequence('res_users', 'id'), GREATEST((SELECT max(id) FROM res_users), 1));
