// Empties the database in chunks (tests and `telarana reset`); schema stays.
MATCH (n)
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS
