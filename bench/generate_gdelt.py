"""Write a deterministic GDELT 1.0 day file: 1,000,000 rows (by default), of which about
0.3% are Belarus-Russia rows of CAMEO codes 16x/17x that the benchmark's watch rules keep.

Rows follow the 58-column layout with realistic field sizes (actor names, three geography
blocks, a source URL: about 300 bytes a row). Usage: python bench/generate_gdelt.py OUT [--rows N]
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

COUNTRIES = [
    ("USA", "UNITED STATES", "US"), ("CHN", "CHINA", "CH"), ("GBR", "UNITED KINGDOM", "UK"),
    ("FRA", "FRANCE", "FR"), ("DEU", "GERMANY", "GM"), ("IND", "INDIA", "IN"), ("POL", "POLAND", "PL"),
    ("UKR", "UKRAINE", "UP"), ("TUR", "TURKEY", "TU"), ("IRN", "IRAN", "IR"), ("", "", ""),
]  # fmt: skip
PAIR = [("BLR", "BELARUS", "BO"), ("RUS", "RUSSIA", "RS")]
CODES = ["010", "020", "036", "042", "043", "051", "057", "0874", "111", "112", "130", "141", "163", "173", "190"]
WATCHED_CODES = ["160", "163", "1621", "172", "1721", "173"]


def row(rng: random.Random, number: int, watched: bool) -> str:
    if watched:
        (c1, n1, g1), (c2, n2, g2) = rng.sample(PAIR, 2)
        code = rng.choice(WATCHED_CODES)
    else:
        (c1, n1, g1), (c2, n2, g2) = rng.choice(COUNTRIES), rng.choice(COUNTRIES)
        code = rng.choice(CODES)
    day = f"201606{rng.randint(1, 7):02d}"
    f = [""] * 58
    f[0], f[1], f[2], f[3], f[4] = str(500_000_000 + number), day, day[:6], day[:4], "2016.4329"
    f[5], f[6], f[7], f[12] = c1 + "GOV", n1, c1, "GOV" if c1 else ""
    f[15], f[16], f[17], f[22] = c2, n2, c2, ""
    f[25], f[26], f[27], f[28], f[29] = "1", code, code[:3], code[:2], str(rng.randint(1, 4))
    f[30] = f"{rng.uniform(-10, 10):.1f}"
    f[31], f[32], f[33], f[34] = str(rng.randint(1, 40)), "1", str(rng.randint(1, 40)), f"{rng.uniform(-8, 4):.6f}"
    for start, (cc, name, fips) in ((35, (c1, n1, g1)), (42, (c2, n2, g2)), (49, (c1, n1, g1))):
        if cc:
            f[start : start + 7] = ["4", f"Capital, {name.title()}", fips, f"{fips}01", "52.1", "23.7", "-1234567"]
    f[56] = day
    f[57] = f"https://www.example-news.org/{day[:4]}/{day[4:6]}/{rng.getrandbits(48):x}/story-{number}.html"
    return "\t".join(f)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    rng = random.Random(20160607)
    with args.output.open("w", encoding="utf-8", newline="\n") as out:
        for number in range(args.rows):
            out.write(row(rng, number, rng.random() < 0.003) + "\n")


if __name__ == "__main__":
    main()
