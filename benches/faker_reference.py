#!/usr/bin/env python3
"""The reference strata's seeding is measured against (issue 4, point 6):
a plain Python Faker script that generates the dashboard's rows
(organizations -> users -> molecules -> docking_jobs -> job_results, the
fan-outs of seeds/dev.yaml) and loads them with COPY (psql \\copy of a CSV
per table). It is what teams write by hand today: one process, Faker for the
fake-data families, Python's `random` for numbers, ids made client-side
(uuid4) so children can point at parents without reading them back.

Run by hand against a database that holds migrations/ and empty tables:

    python3 benches/faker_reference.py --database-url postgres://... --orgs 1000

`cargo bench --bench seed` runs it with the same scale as the strata run.
Without Faker installed (`pip install faker`) it falls back to the same
script on Python's `random` with small word lists, and says so: the figures
are then NOT Faker's.

The last line of output is one JSON object with the timings, for the bench.
"""

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta

try:
    from faker import Faker

    HAVE_FAKER = True
except ImportError:
    HAVE_FAKER = False

SMILES = ["CCO", "c1ccccc1", "CC(=O)O", "CCN(CC)CC", "C1CCCCC1", "CC(C)O", "O=C=O",
          "CN1C=NC2=C1C(=O)N(C(=O)N2C)C"]
WORDS = ["alpha", "beta", "gamma", "delta", "omega", "nova", "terra", "lumen", "orbit",
         "vector", "quartz", "ember", "cobalt", "zephyr", "atlas", "helix"]
FIRST = ["james", "mary", "john", "linda", "wei", "aisha", "olga", "diego", "yuki", "amir"]
LAST = ["smith", "garcia", "chen", "okafor", "ivanova", "silva", "tanaka", "haddad"]


class Fakes:
    """The few generator families the profile uses, from Faker when it is
    installed, from `random` otherwise (the fallback the output flags)."""

    def __init__(self, seed, use_faker):
        random.seed(seed)
        self.faker = None
        if use_faker:
            Faker.seed(seed)
            self.faker = Faker("en_US")

    def uuid(self):
        return self.faker.uuid4() if self.faker else str(uuid.UUID(int=random.getrandbits(128), version=4))

    def company(self):
        return self.faker.company() if self.faker else f"{random.choice(LAST).title()} {random.choice(['Inc', 'LLC', 'Group'])}"

    def slug(self, i):
        # Unique by construction: Faker's own `unique` proxy slows to a crawl
        # as its pool fills, which would be unfair to the reference.
        s = self.faker.slug() if self.faker else "-".join(random.sample(WORDS, 3))
        return f"{s[:50]}-{i}"

    def first_last(self):
        if self.faker:
            return self.faker.first_name(), self.faker.last_name()
        return random.choice(FIRST), random.choice(LAST)

    def word(self):
        return self.faker.word() if self.faker else random.choice(WORDS)

    def timestamp(self, start, end):
        if self.faker:
            return self.faker.date_time_between(start_date=start, end_date=end)
        return start + timedelta(seconds=random.uniform(0, (end - start).total_seconds()))


def ts(d):
    return d.strftime("%Y-%m-%d %H:%M:%S") if d is not None else ""


def maybe_null(value, ratio):
    return None if random.random() < ratio else value


CREATED = (datetime(2023, 1, 1), datetime(2024, 12, 31))


def organizations(f, n):
    for i in range(n):
        yield [f.uuid(), f.company(), f.slug(i), ts(f.timestamp(*CREATED)),
               ts(f.timestamp(*CREATED))]


def users(f, orgs):
    seq = 0
    for org in orgs:
        for _ in range(random.randint(5, 15)):
            seq += 1
            first, last = f.first_last()
            yield [f.uuid(), org, f"{first.lower()}.{last.lower()}.{seq}@example.org",
                   random.choices(["user", "admin"], [9, 1])[0],
                   ts(maybe_null(f.timestamp(datetime(2024, 1, 1), datetime(2024, 12, 31)), 0.3)),
                   ts(f.timestamp(*CREATED)), ts(f.timestamp(*CREATED))]


def molecules(f, orgs, user_ids):
    seq = 0
    for org in orgs:
        for _ in range(random.randint(50, 200)):
            seq += 1
            yield [f.uuid(), org, f"{f.word().upper()}-{seq:05}", random.choice(SMILES),
                   f"{random.uniform(40.0, 900.0):.3f}", random.choice(user_ids),
                   ts(f.timestamp(*CREATED)), ts(f.timestamp(*CREATED))]


def docking_jobs(f, orgs, molecule_ids):
    for mol in molecule_ids:
        for _ in range(random.randint(1, 3)):
            yield [f.uuid(), random.choice(orgs), mol,
                   random.choices(["done", "failed", "running", "pending"], [6, 1, 1, 2])[0],
                   random.randint(0, 10),
                   ts(f.timestamp(datetime(2024, 1, 1), datetime(2024, 6, 30))),
                   ts(maybe_null(f.timestamp(datetime(2024, 7, 1), datetime(2024, 12, 31)), 0.3)),
                   ts(f.timestamp(*CREATED)), ts(f.timestamp(*CREATED))]


def job_results(f, orgs, job_ids):
    for job in job_ids:
        for _ in range(random.randint(1, 4)):
            score = min(0.0, max(-15.0, random.gauss(-7.5, 1.5)))
            data = {"pose": random.randint(1, 9), "rmsd": random.uniform(0.0, 3.0),
                    "engine": random.choice(["vina", "gnina", "smina"])}
            yield [f.uuid(), random.choice(orgs), job, f"{score:.6f}", json.dumps(data),
                   ts(f.timestamp(*CREATED))]


COLUMNS = {
    "organizations": "id, name, slug, created_at, updated_at",
    "users": "id, organization_id, email, role, last_login_at, created_at, updated_at",
    "molecules": "id, organization_id, name, smiles, molecular_weight, created_by, created_at, updated_at",
    "docking_jobs": "id, organization_id, molecule_id, status, priority, started_at, finished_at, created_at, updated_at",
    "job_results": "id, organization_id, job_id, score, data, created_at",
}


def write_csv(path, rows, keep):
    """Write rows to a CSV; return how many, and column 0 (the id) of each
    row when `keep` (children draw their parents from it)."""
    ids = []
    n = 0
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        for row in rows:
            w.writerow(row)
            if keep:
                ids.append(row[0])
            n += 1
    return n, ids


def copy(psql, url, table, path):
    # CSV: an empty unquoted field is NULL, which is what the writer emits for None.
    cmd = f"\\copy {table} ({COLUMNS[table]}) FROM '{path}' CSV"
    subprocess.run([psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", cmd], check=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--database-url", required=True)
    ap.add_argument("--orgs", type=int, default=1000, help="organizations (dev.yaml has 10)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--psql", default="psql")
    ap.add_argument("--workdir", default=None, help="where the CSVs go (default: a temp dir)")
    ap.add_argument("--no-faker", action="store_true", help="use the random fallback even if Faker is installed")
    a = ap.parse_args()

    use_faker = HAVE_FAKER and not a.no_faker
    engine = "faker" if use_faker else "random (FALLBACK: Faker not installed; these are NOT Faker's figures)"
    print(f"reference generator: {engine}", file=sys.stderr)
    f = Fakes(a.seed, use_faker)
    workdir = a.workdir or tempfile.mkdtemp(prefix="strata-faker-")
    os.makedirs(workdir, exist_ok=True)
    os.chmod(workdir, 0o755)

    result = {"engine": "faker" if use_faker else "random", "tables": []}
    org_ids = user_ids = molecule_ids = job_ids = None
    plan = [
        ("organizations", lambda: organizations(f, a.orgs)),
        ("users", lambda: users(f, org_ids)),
        ("molecules", lambda: molecules(f, org_ids, user_ids)),
        ("docking_jobs", lambda: docking_jobs(f, org_ids, molecule_ids)),
        ("job_results", lambda: job_results(f, org_ids, job_ids)),
    ]
    for table, rows in plan:
        path = os.path.join(workdir, f"{table}.csv")
        t0 = time.perf_counter()
        n, ids = write_csv(path, rows(), keep=table != "job_results")
        t1 = time.perf_counter()
        copy(a.psql, a.database_url, table, path)
        t2 = time.perf_counter()
        os.remove(path)
        if table == "organizations":
            org_ids = ids
        elif table == "users":
            user_ids = ids
        elif table == "molecules":
            molecule_ids = ids
        elif table == "docking_jobs":
            job_ids = ids
        gen, cp = t1 - t0, t2 - t1
        print(f"  {table:<16} {n:>9} rows  generate+csv {gen:7.2f} s  \\copy {cp:6.2f} s  "
              f"{n / (gen + cp):9.0f} rows/s", file=sys.stderr)
        result["tables"].append({"table": table, "rows": n, "generate_s": gen, "copy_s": cp})
    print(json.dumps(result))


if __name__ == "__main__":
    main()
