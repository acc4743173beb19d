INSERT INTO rooms VALUES (1, '[1,10)'), (1, '[10,20)'), (2, '[5,8)');
INSERT INTO bookings VALUES (1, 1, '[1,10)'), (2, 2, '[5,8)');
