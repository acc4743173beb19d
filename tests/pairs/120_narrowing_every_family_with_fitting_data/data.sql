INSERT INTO t VALUES
  (1, 'acme', 'short', 'ab', '{a,bc}', 12.5, 7, 0.5, 3000, 12, '2024-01-01 10:00:00', '2024-01-01', '2024-01-01 10:00:00.25+00'),
  (2, 'sixteen-chars-ok', NULL, 'abcd', NULL, 1.2500, 1.00, 1.25, -2147483648, -32768, '2024-02-29 23:59:59', '2024-02-29 00:00:00', NULL),
  (3, 'x', 'twenty characters ok', NULL, '{}', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
