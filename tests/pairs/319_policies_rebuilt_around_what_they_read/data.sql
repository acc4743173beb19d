INSERT INTO memberships VALUES (1, 'alice');
INSERT INTO invoices VALUES (1, 1, 'eu', false, 10.00), (2, 2, 'us', null, 20.00);
