"""Word lists for the generated dataset.

Names carry non-ASCII letters, apostrophes, ampersands and trademark signs on purpose: a
client must survive them in JSON, in CSV exports and in logs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True, slots=True)
class City:
    name: str
    neighborhoods: tuple[str, ...]
    utc_offset_minutes: int
    currency_code: int
    currency_symbol: str
    tax_rate: float
    price_factor: float
    weight: int


# Fixed offsets (no DST): half- and quarter-hour zones are included because naive code that
# stores offsets as whole hours breaks on them.
CITIES: Final = (
    City(
        "Austin",
        ("Downtown", "South Congress", "Mueller", "Domain"),
        -360,
        148,
        "$",
        0.0825,
        1.0,
        6,
    ),
    City(
        "New York",
        ("Chelsea", "Williamsburg", "Upper West Side", "Tribeca"),
        -300,
        148,
        "$",
        0.08875,
        1.25,
        8,
    ),
    City(
        "Los Angeles",
        ("Silver Lake", "Santa Monica", "West Hollywood", "Venice"),
        -480,
        148,
        "$",
        0.095,
        1.2,
        6,
    ),
    City("Denver", ("LoDo", "Highlands", "Cherry Creek"), -420, 148, "$", 0.0881, 1.0, 3),
    City("Honolulu", ("Kaka'ako", "Waikiki"), -600, 148, "$", 0.045, 1.1, 1),
    City("Toronto", ("Yorkville", "Queen West", "Leslieville"), -300, 36, "C$", 0.13, 1.3, 3),
    City("St. John's", ("Downtown", "Churchill Square"), -210, 36, "C$", 0.15, 1.2, 1),
    City(
        "London",
        ("Shoreditch", "Clapham", "Notting Hill", "Canary Wharf"),
        0,
        47,
        "£",
        0.20,
        0.9,
        5,
    ),
    City("Dublin", ("Ranelagh", "Docklands"), 0, 46, "€", 0.23, 1.0, 2),
    City("München", ("Schwabing", "Maxvorstadt", "Glockenbachviertel"), 60, 46, "€", 0.19, 1.0, 2),
    City("Dubai", ("Jumeirah", "Marina", "DIFC"), 240, 2, "AED", 0.05, 3.6, 2),
    City("Mumbai", ("Bandra", "Powai", "Lower Parel"), 330, 61, "₹", 0.18, 40.0, 4),
    City(
        "Bengaluru",
        ("Koramangala", "Indiranagar", "HSR Layout", "Whitefield"),
        330,
        61,
        "₹",
        0.18,
        35.0,
        4,
    ),
    City("Kathmandu", ("Thamel", "Lazimpat"), 345, 99, "रू", 0.13, 60.0, 1),
    City(
        "Singapore", ("Tanjong Pagar", "Orchard", "Holland Village"), 480, 111, "S$", 0.09, 1.4, 2
    ),
    City("Adelaide", ("Norwood", "Glenelg"), 630, 12, "A$", 0.10, 1.5, 1),
    City("Sydney", ("Bondi", "Surry Hills", "Manly"), 660, 12, "A$", 0.10, 1.6, 3),
    City("Auckland", ("Ponsonby", "Parnell"), 780, 97, "NZ$", 0.15, 1.6, 1),
)

BRANDS: Final = (
    "Pulse Fitness",
    "Lotus Loft",
    "Core & Barre",
    "Ironclad HIIT",
    "Blossom Spa & Fitness",
    "Studio Sattva",
    "Kinetic Pilates",
    "The Sweat Lab",
    "Björk Wellness",
    "Motion Collective",
)


@dataclass(frozen=True, slots=True)
class Family:
    category: str
    class_names: tuple[str, ...]
    durations: tuple[int, ...]
    capacity: tuple[int, int]
    price: tuple[float, ...]


FAMILIES: Final = (
    Family(
        "Yoga",
        (
            "Vinyasa Flow",
            "Hatha Yoga",
            "Yin Yoga",
            "Power Yoga",
            "Hot Yoga 26+2",
            "Restorative Yoga",
            "Sunrise Flow",
            "Yoga für Anfänger",
            "Rocket Yoga",
        ),
        (45, 60, 75, 90),
        (12, 35),
        (18.0, 22.0, 25.0, 28.0),
    ),
    Family(
        "Cycling",
        (
            "Spin 45",
            "Rhythm Ride",
            "Endurance Ride",
            "Spin & Sculpt",
            "Climb Ride",
            "Low-Impact Spin",
        ),
        (30, 45, 50),
        (16, 40),
        (22.0, 26.0, 30.0),
    ),
    Family(
        "Pilates",
        (
            "Mat Pilates",
            "Reformer Pilates",
            "Reformer Fundamentals",
            "Tower Pilates",
            "Pilates Avanzado \u2013 Nivel 2",
            "Jumpboard Cardio",
        ),
        (50, 55, 60),
        (6, 14),
        (32.0, 38.5, 42.0),
    ),
    Family(
        "HIIT",
        ("HIIT Bootcamp", "Tabata", "Metcon 30", "HIIT Express", "EMOM Circuit"),
        (30, 45),
        (10, 30),
        (20.0, 24.0, 27.5),
    ),
    Family(
        "Barre",
        ("Barre Burn", "Barre Fusion", "Cardio Barre", "Café Barre Basics"),
        (45, 55, 60),
        (10, 25),
        (24.0, 28.0, 31.0),
    ),
    Family(
        "Dance",
        ("Zumba®", "Dance Cardio", "Hip-Hop Sweat", "Bollywood Beats"),
        (45, 60),
        (15, 40),
        (15.0, 18.0, 20.0),
    ),
    Family(
        "Strength",
        (
            "Strength & Conditioning",
            "Kettlebell Basics",
            "Body Pump",
            "Glutes & Core",
            "Olympic Lifting 101",
        ),
        (45, 60),
        (8, 20),
        (22.0, 25.0, 29.99),
    ),
    Family(
        "Boxing",
        ("Boxing Fundamentals", "Kickboxing", "Muay Thai Conditioning"),
        (45, 60),
        (10, 24),
        (25.0, 30.0),
    ),
    Family(
        "Mind & Body",
        ("Meditation", "Breathwork", "Sound Bath", "Méditation guidée", "Mobility & Stretch"),
        (30, 45, 60),
        (10, 40),
        (0.0, 12.0, 15.0, 18.0),
    ),
    Family("Aquatics", ("Aqua Aerobics", "Aqua Jogging"), (45,), (8, 20), (16.0, 19.5)),
)

WORKSHOPS: Final = Family(
    "Workshops",
    (
        "Inversions Workshop",
        "Teacher Training: Module 1",
        "Handstand Clinic",
        "Prenatal Yoga Series",
        "Nutrition for Athletes",
        "Facial Masterclass",
    ),
    (90, 120, 180),
    (8, 30),
    (45.0, 60.0, 85.0, 150.0),
)

VARIANT_SUFFIXES: Final = (" (Heated)", " - Express", " Level 2", " 75", " \u2013 Candlelight")

LEVELS: Final = (
    ("BEG", "Beginner", "New to the format? Start here."),
    ("INT", "Intermediate", None),
    ("ADV", "Advanced", "For regulars who know the sequence."),
    ("ALL", "All Levels", None),
    ("L2", "Level 2", "Builds on Level 1 fundamentals."),
)

ROOMS: Final = (
    "Studio A",
    "Studio B",
    "Cycle Room",
    "Reformer Studio",
    "Hot Room",
    "Main Floor",
    "Rooftop Deck",
    "Pool",
    "Zen Room",
)

FIRST_NAMES: Final = (
    "Priya",
    "Søren",
    "José",
    "Aoife",
    "Zoë",
    "Mateo",
    "Hana",
    "Kwame",
    "Olivia",
    "Liam",
    "Anaïs",
    "Raj",
    "Chloé",
    "Noah",
    "Isabella",
    "Björn",
    "Mei",
    "Tariq",
    "Grace",
    "Diego",
    "Fatima",
    "Lucas",
    "Yuki",
    "Emma",
    "Ravi",
    "Sofía",
    "Jack",
    "Amara",
    "Nikolai",
    "Léa",
)

LAST_NAMES: Final = (
    "Raman",
    "Madsen",
    "Álvarez",
    "O'Brien",
    "Chen",
    "García",
    "Tanaka",
    "Mensah",
    "Smith",
    "Nguyen",
    "Dubois",
    "Patel",
    "Müller",
    "Kowalski",
    "Rossi",
    "Johansson",
    "Khan",
    "Walker",
    "Fernández",
    "Iyer",
    "Novak",
    "Costa",
    "Sato",
    "Murphy",
    "Okafor",
)

INSTRUCTOR_BIOS: Final = (
    "",
    "RYT-500 certified; teaches alignment-focused flows.",
    "Former collegiate sprinter turned spin coach.",
    "STOTT Pilates certified with a background in physiotherapy.",
    "Loves loud playlists & louder cheering.",
    "Trained in Mysore; 12 years of teaching.",
)

SESSION_DESCRIPTIONS: Final = (
    "Bring water and a towel.",
    "Mats provided. Arrive 10 minutes early.",
    "Cleats optional; shoes available at the front desk.",
    "Grip socks required for reformer classes.",
    "Expect to sweat: high-intensity intervals with short rests.",
)

PACKAGE_TEMPLATES: Final = (
    "{n}-Class {family} Pack",
    "Intro Offer: {n} {family} Classes",
    "{family} Unlimited - 30 Days",
    "{family} Starter Bundle",
    "Drop-in {family}",
    "{family} Gift Pack ({n})",
)

PACKAGE_CATEGORIES: Final = ("Class Packs", "Intro Offers", "Bundles", "Gift Packs", "Promotions")

MEMBERSHIP_NAMES: Final = (
    "Unlimited Monthly",
    "Founding Member",
    "Class Pass 8 / month",
    "Annual All-Access",
    "Student Membership",
    "Corporate Wellness",
    "{family} Unlimited",
    "Guest Pass MEmbership Two - Cloned",
    "- First Class Membership",
    "Off-Peak Saver",
    "{family} 4x Month ",
)

TERMS: Final = (
    "",
    "Non-refundable. Valid at the purchasing center only.",
    "Auto-renews monthly until cancelled with 30 days' notice.",
    "Freeze allowed up to 2 times per year.",
)

HOLIDAYS: Final = ("2026-11-26", "2026-12-24", "2026-12-25")
