#!/usr/bin/python3
"""Writes N simple_crypto secrets straight into a Barbican 15 SQLite database, as Barbican's
store_crypto + simple_crypto would (Fernet project KEK under the master KEK, Fernet payload under
the project KEK, base64 in encrypted_data.cypher_text): the API manages ~60 secrets/s, too slow
to fill a database worth timing. The schema comes from the reference Barbican's database.

usage: populate.py SCHEMA_SOURCE.sqlite TARGET.sqlite KEK_BASE64 N [PROJECTS]
"""
import base64
import datetime
import os
import sqlite3
import sys
import uuid

from cryptography.fernet import Fernet

src, dst, kek, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
projects = int(sys.argv[5]) if len(sys.argv) > 5 else 10
if os.path.exists(dst):
    os.remove(dst)
schema = [r[0] for r in sqlite3.connect(src).execute(
    "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'")]
db = sqlite3.connect(dst)
for stmt in schema:
    db.execute(stmt)
db.execute("INSERT INTO alembic_version VALUES ('8c74e2d7f1ff')")
now = datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M:%S.%f")
row = lambda: (str(uuid.uuid4()), now, now, None, 0, "ACTIVE")
db.execute("INSERT INTO secret_stores VALUES (?,?,?,?,?,?,?,?,?,?)",
           row() + ("store_crypto", "simple_crypto", 1, "Software Only Crypto"))
master = Fernet(kek.encode())
project_keks = []
for p in range(projects):
    pid = row()
    db.execute("INSERT INTO projects VALUES (?,?,?,?,?,?,?)", pid + ("bench-project-%d" % p,))
    key = Fernet.generate_key()
    kid = row()
    db.execute("INSERT INTO kek_data (id, created_at, updated_at, deleted_at, deleted, status, plugin_name, "
               "kek_label, project_id, active, bind_completed, algorithm, bit_length, mode, plugin_meta) "
               "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
               kid + ("barbican.plugin.crypto.simple_crypto.SimpleCryptoPlugin", "project-key", pid[0], 1, 1,
                      "aes", 128, "cbc", master.encrypt(key)))
    project_keks.append((pid[0], kid[0], Fernet(key)))
for i in range(n):
    pid, kid, f = project_keks[i % projects]
    s = row()
    db.execute("INSERT INTO secrets (id, created_at, updated_at, deleted_at, deleted, status, name, secret_type, "
               "expiration, algorithm, bit_length, mode, creator_id, project_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
               s + ("bench-%d" % i, "symmetric", None, "aes", 256, "cbc", "bench-user", pid))
    token = f.encrypt(os.urandom(32))
    db.execute("INSERT INTO encrypted_data (id, created_at, updated_at, deleted_at, deleted, status, content_type, "
               "secret_id, kek_id, cypher_text, kek_meta_extended) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
               row() + ("application/octet-stream", s[0], kid, base64.b64encode(token).decode(), None))
    for k, v in (("plugin_name", "barbican.plugin.store_crypto.StoreCryptoAdapterPlugin"),
                 ("content_type", "application/octet-stream")):
        db.execute("INSERT INTO secret_store_metadata VALUES (?,?,?,?,?,?,?,?,?)", row() + (k, v, s[0]))
db.commit()
print("populate.py: %d secrets in %d projects -> %s" % (n, projects, dst))
