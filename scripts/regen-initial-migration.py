"""Regenerate the single initial migration from the models (only while nothing has landed that
depends on an older revision). Usage: .venv/bin/python scripts/regen-initial-migration.py

Autogenerate cannot order the organizations <-> persons foreign-key cycle, so the script moves
that key into an ALTER after both tables exist.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VERSIONS = ROOT / "migrations" / "versions"
MESSAGE = "organisation model, accounts and audit log"

for old in VERSIONS.glob("*.py"):
    old.unlink()
tmp = tempfile.mkdtemp()
env = dict(os.environ, RESPONSIBILITY_INSTANCE_PATH=tmp)
env.pop("DATABASE_URL", None)
subprocess.run(
    [str(ROOT / ".venv/bin/flask"), "--app", "app", "db", "migrate", "-m", MESSAGE], cwd=ROOT, env=env, check=True
)
shutil.rmtree(tmp)
(path,) = VERSIONS.glob("*.py")
s = path.read_text()
line = (
    "    sa.ForeignKeyConstraint(['chief_person_id'], ['persons.id'], "
    "name=op.f('fk_organizations_chief_person_id_persons'), ondelete='SET NULL', use_alter=True),\n"
)
if line not in s:
    sys.exit("expected the use_alter foreign key in the generated migration")
s = s.replace(line, "")
add = (
    "    # organizations.chief_person_id -> persons: a cycle, so the key is added once both exist.\n"
    "    with op.batch_alter_table('organizations', schema=None) as batch_op:\n"
    "        batch_op.create_foreign_key(batch_op.f('fk_organizations_chief_person_id_persons'), "
    "'persons', ['chief_person_id'], ['id'], ondelete='SET NULL')\n\n"
)
start = s.index("    op.create_table('persons',")
end = s.index("    )\n", start) + len("    )\n")
batch = s.find("    with op.batch_alter_table('persons'", end)
if batch != -1 and batch - end < 5:
    end = s.index("\n\n", batch) + 2
s = s[:end] + add + s[end:]
d = s.index("def downgrade():\n")
d = s.index("\n", s.index("\n", d) + 1) + 1
s = (
    s[:d]
    + "    with op.batch_alter_table('organizations', schema=None) as batch_op:\n"
    + "        batch_op.drop_constraint(batch_op.f('fk_organizations_chief_person_id_persons'), type_='foreignkey')\n"
    + s[d:]
)
path.write_text(s)
print(f"wrote {path.relative_to(ROOT)}")
