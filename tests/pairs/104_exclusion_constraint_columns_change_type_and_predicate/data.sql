INSERT INTO bookings VALUES (1, 1, '[2024-01-01,2024-01-02)', false), (2, 1, '[2024-01-02,2024-01-03)', false);
