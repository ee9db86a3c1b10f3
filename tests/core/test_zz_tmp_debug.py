import threading
import time
from django.db import connection

def test_zz_show_sessions(transactional_db):
    with connection.cursor() as c:
        c.execute("select pid, state, left(query, 200), application_name from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()")
        print(c.fetchall())
    print([t.name for t in threading.enumerate()])
