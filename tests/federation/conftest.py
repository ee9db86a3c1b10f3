"""Federation tests talk to servers on loopback. pytest-django's live server takes a free port
of its own (each test process its own), and the tests read its address from `live_server.url`."""
