//! Synthetic records for benchmarks and scale tests: deterministic from a seed, realistic in
//! shape (names, titles, journals, abstracts of about 1.2 KB), written as RIS or MEDLINE and as
//! the one-line-per-record files that `fzf --filter` reads.
//!
//! Record `i` of seed `s` depends only on `(s, i)`, so a file can be produced in parallel batches
//! and streamed to disk without holding the whole set.

use crate::record::{Author, Kind, Record, Section, Source};
use std::fmt::Write as _;

/// splitmix64: tiny, fast and good enough for test data; no dependency.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next_u64() % (hi - lo + 1)
    }

    /// True with probability `p` percent.
    pub fn percent(&mut self, p: u64) -> bool {
        self.next_u64() % 100 < p
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next_u64() % items.len() as u64) as usize]
    }
}

const FAMILY: &[&str] = &[
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Wilson",
    "Anderson",
    "Taylor",
    "Thomas",
    "Moore",
    "Martin",
    "Jackson",
    "Thompson",
    "White",
    "Harris",
    "Clark",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Hill",
    "Green",
    "Adams",
    "Baker",
    "Nelson",
    "Carter",
    "Mitchell",
    "Roberts",
    "Turner",
    "Phillips",
    "Campbell",
    "Parker",
    "Evans",
    "Edwards",
    "Collins",
    "Stewart",
    "Morris",
    "Rogers",
    "Reed",
    "Cook",
    "Morgan",
    "Bell",
    "Murphy",
    "Bailey",
    "Cooper",
    "Richardson",
    "Cox",
    "Howard",
    "Ward",
    "Peterson",
    "Gray",
    "James",
    "Watson",
    "Brooks",
    "Kelly",
    "Sanders",
    "Price",
    "Bennett",
    "Wood",
    "Barnes",
    "Ross",
    "Henderson",
    "Coleman",
    "Jenkins",
    "Perry",
    "Powell",
    "Long",
    "Patterson",
    "Hughes",
    "Flores",
    "Washington",
    "Butler",
    "Simmons",
    "Foster",
    "Bryant",
    "Alexander",
    "Russell",
    "Griffin",
    "Hayes",
    "Myers",
    "Ford",
    "Hamilton",
    "Graham",
    "Sullivan",
    "Wallace",
    "West",
    "Cole",
    "Jordan",
    "Reynolds",
    "Fisher",
    "Ellis",
    "Harrison",
    "Gibson",
    "McDonald",
    "Cruz",
    "Marshall",
    "Ortiz",
    "Gomez",
    "Murray",
    "Freeman",
    "Wells",
    "Webb",
    "Simpson",
    "Stevens",
    "Tucker",
    "Porter",
    "Hunter",
    "Hicks",
    "Crawford",
    "Henry",
    "Boyd",
    "Mason",
    "Kennedy",
    "Warren",
    "Dixon",
    "Ramos",
    "Burns",
    "Gordon",
    "Shaw",
    "Holmes",
    "Rice",
    "Robertson",
    "Hunt",
    "Black",
    "Daniels",
    "Palmer",
    "Mills",
    "Nichols",
    "Grant",
    "Knight",
    "Ferguson",
    "Stone",
    "Hawkins",
    "Dunn",
    "Perkins",
    "Hudson",
    "Spencer",
    "Gardner",
    "Stephens",
    "Payne",
    "Pierce",
    "Berry",
    "Matthews",
    "Arnold",
    "Wagner",
    "Willis",
    "Ray",
    "Watkins",
    "Olson",
    "Carroll",
    "Duncan",
    "Snyder",
    "Hart",
    "Cunningham",
    "Bradley",
    "Lane",
    "Andrews",
    "Ruiz",
    "Harper",
    "Fox",
    "Riley",
    "Armstrong",
    "Carpenter",
    "Weaver",
    "Greene",
    "Lawrence",
    "Elliott",
    "Chavez",
    "Sims",
    "Austin",
    "Peters",
    "Kelley",
    "Franklin",
    "Lawson",
    "Fields",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Becker",
    "Hoffmann",
    "Koch",
    "Richter",
    "Klein",
    "Wolf",
    "Neumann",
    "Schwarz",
    "Zimmermann",
    "Braun",
    "Hofmann",
    "Hartmann",
    "Lange",
    "Jansen",
    "de Vries",
    "van den Berg",
    "Bakker",
    "Visser",
    "Smit",
    "Mulder",
    "Bos",
    "Vos",
    "Rossi",
    "Russo",
    "Ferrari",
    "Esposito",
    "Bianchi",
    "Romano",
    "Colombo",
    "Ricci",
    "Marino",
    "Dubois",
    "Durand",
    "Lefebvre",
    "Moreau",
    "Laurent",
    "Simon",
    "Michel",
    "Leroy",
    "Roux",
    "Nielsen",
    "Hansen",
    "Pedersen",
    "Andersen",
    "Larsen",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsen",
    "Berg",
    "Haugen",
    "Virtanen",
    "Korhonen",
    "Nowak",
    "Kowalski",
    "Wang",
    "Li",
    "Zhang",
    "Liu",
    "Chen",
    "Yang",
    "Huang",
    "Zhao",
    "Wu",
    "Zhou",
    "Xu",
    "Sun",
    "Ma",
    "Zhu",
    "Hu",
    "Guo",
    "Lin",
    "He",
    "Gao",
    "Luo",
    "Kim",
    "Lee",
    "Park",
    "Choi",
    "Jung",
    "Tanaka",
    "Suzuki",
    "Takahashi",
    "Watanabe",
    "Ito",
    "Yamamoto",
    "Nakamura",
    "Kobayashi",
    "Sato",
    "Kato",
    "Singh",
    "Kumar",
    "Sharma",
    "Patel",
    "Gupta",
    "Das",
    "Reddy",
    "Iyer",
    "Khan",
    "Ahmed",
    "Ali",
    "Hassan",
    "Hussain",
    "Rahman",
    "Okafor",
    "Mensah",
    "Osei",
    "Adeyemi",
    "Nkosi",
    "Mwangi",
    "Silva",
    "Santos",
    "Oliveira",
    "Souza",
    "Pereira",
    "Costa",
    "Rodrigues",
    "Almeida",
    "Fernandes",
    "Lopez",
    "Martinez",
    "Hernandez",
    "Gonzalez",
    "Perez",
    "Sanchez",
    "Ramirez",
    "Torres",
    "Rivera",
    "Morales",
    "Ivanov",
    "Petrov",
    "Smirnov",
    "Popescu",
    "Horvath",
    "Novak",
    "Papadopoulos",
    "Yilmaz",
    "Kaya",
    "Cohen",
    "Levi",
    "O'Brien",
    "O'Connor",
    "Byrne",
];

/// A few percent of names carry diacritics or other non-ASCII letters.
const FAMILY_INTL: &[&str] = &[
    "Müller",
    "Schäfer",
    "Krüger",
    "Köhler",
    "Jäger",
    "Günther",
    "Bäcker",
    "Weiß",
    "Groß",
    "Søndergaard",
    "Jørgensen",
    "Kjærgaard",
    "Ødegård",
    "Åberg",
    "Löfgren",
    "Ström",
    "Björk",
    "Zhāng",
    "Lǐ",
    "Wáng",
    "Chén",
    "Liú",
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "García",
    "Martínez",
    "Hernández",
    "González",
    "Pérez",
    "Sánchez",
    "Gómez",
    "Fernández",
    "Díaz",
    "Muñoz",
    "Núñez",
    "Conceição",
    "Gonçalves",
    "Araújo",
    "Lefèvre",
    "Bérubé",
    "Gagné",
    "Côté",
    "Hélène",
    "Dvořák",
    "Novotný",
    "Wójcik",
    "Kamiński",
    "Łukasiewicz",
    "Szymański",
    "Erdoğan",
    "Çelik",
    "Öztürk",
    "Şahin",
    "Papadopoulou",
    "Nykänen",
    "Mäkinen",
    "Hämäläinen",
    "Ólafsson",
    "Þórsdóttir",
];

const GIVEN: &[&str] = &[
    "James",
    "Mary",
    "John",
    "Patricia",
    "Robert",
    "Jennifer",
    "Michael",
    "Linda",
    "William",
    "Elizabeth",
    "David",
    "Barbara",
    "Richard",
    "Susan",
    "Joseph",
    "Jessica",
    "Thomas",
    "Sarah",
    "Charles",
    "Karen",
    "Christopher",
    "Nancy",
    "Daniel",
    "Lisa",
    "Matthew",
    "Margaret",
    "Anthony",
    "Betty",
    "Mark",
    "Sandra",
    "Donald",
    "Ashley",
    "Steven",
    "Kimberly",
    "Paul",
    "Emily",
    "Andrew",
    "Donna",
    "Joshua",
    "Michelle",
    "Kenneth",
    "Dorothy",
    "Kevin",
    "Carol",
    "Brian",
    "Amanda",
    "George",
    "Melissa",
    "Edward",
    "Deborah",
    "Ronald",
    "Stephanie",
    "Timothy",
    "Rebecca",
    "Jason",
    "Laura",
    "Jeffrey",
    "Sharon",
    "Ryan",
    "Cynthia",
    "Jacob",
    "Kathleen",
    "Gary",
    "Amy",
    "Nicholas",
    "Shirley",
    "Eric",
    "Angela",
    "Jonathan",
    "Helen",
    "Stephen",
    "Anna",
    "Larry",
    "Brenda",
    "Justin",
    "Pamela",
    "Scott",
    "Nicole",
    "Brandon",
    "Emma",
    "Benjamin",
    "Samantha",
    "Samuel",
    "Katherine",
    "Frank",
    "Christine",
    "Gregory",
    "Debra",
    "Alexander",
    "Rachel",
    "Patrick",
    "Catherine",
    "Jack",
    "Carolyn",
    "Dennis",
    "Janet",
    "Jerry",
    "Ruth",
    "Tyler",
    "Maria",
    "Aaron",
    "Heather",
    "Henry",
    "Diane",
    "Peter",
    "Julie",
    "Hans",
    "Klaus",
    "Jürgen",
    "Anke",
    "Ingrid",
    "Lars",
    "Nils",
    "Erik",
    "Astrid",
    "Sven",
    "Pieter",
    "Marco",
    "Giulia",
    "Luca",
    "Francesca",
    "Pierre",
    "Claire",
    "Camille",
    "Antoine",
    "Wei",
    "Fang",
    "Min",
    "Jing",
    "Lei",
    "Xiaoming",
    "Yan",
    "Hiroshi",
    "Yuki",
    "Kenji",
    "Akiko",
    "Ji-woo",
    "Min-jun",
    "Seo-yeon",
    "Priya",
    "Rahul",
    "Anjali",
    "Arjun",
    "Deepa",
    "Fatima",
    "Omar",
    "Aisha",
    "Yusuf",
    "Chinedu",
    "Ngozi",
    "Kwame",
    "Amara",
    "Thabo",
    "Lucas",
    "Gabriel",
    "Ana",
    "Rafael",
    "Beatriz",
    "Carlos",
    "Lucia",
    "Miguel",
    "Sofia",
    "Diego",
    "Elena",
    "Ivan",
    "Olga",
    "Dmitri",
    "Katarzyna",
    "Piotr",
    "Mehmet",
    "Ayşe",
    "Noa",
    "Eitan",
    "Siobhan",
    "Niamh",
    "Ciaran",
];

const GIVEN_INTL: &[&str] = &[
    "Søren",
    "Jørgen",
    "Bjørn",
    "Åsa",
    "Björn",
    "Jürgen",
    "Günter",
    "Müge",
    "José",
    "María",
    "Inés",
    "Andrés",
    "Ramón",
    "Joël",
    "Chloé",
    "Hélène",
    "Zoë",
    "Renée",
    "François",
    "Agnès",
    "João",
    "Sébastien",
    "Zoltán",
    "Małgorzata",
    "Paweł",
    "Jiří",
    "Tomáš",
    "Dagný",
    "Þór",
    "Xiǎoyīng",
    "Jūn",
    "Hǎi",
    "Nguyễn",
    "Thị",
    "Çağla",
    "İlker",
];

const CONDITIONS: &[&str] = &[
    "depression",
    "major depressive disorder",
    "anxiety",
    "generalised anxiety disorder",
    "post-traumatic stress disorder",
    "schizophrenia",
    "bipolar disorder",
    "psychosis",
    "first-episode psychosis",
    "insomnia",
    "dementia",
    "Alzheimer's disease",
    "autism",
    "attention-deficit/hyperactivity disorder",
    "eating disorders",
    "anorexia nervosa",
    "alcohol use disorder",
    "opioid use disorder",
    "substance misuse",
    "self-harm",
    "suicidal ideation",
    "loneliness",
    "burnout",
    "chronic pain",
    "type 2 diabetes",
    "hypertension",
    "obesity",
    "cardiovascular disease",
    "multimorbidity",
    "long COVID",
    "perinatal depression",
    "obsessive-compulsive disorder",
    "borderline personality disorder",
    "panic disorder",
    "social anxiety",
    "psychological distress",
    "cognitive decline",
    "frailty",
    "stroke",
    "asthma",
    "HIV",
    "tuberculosis",
    "cancer-related fatigue",
    "gambling disorder",
];

const INTERVENTIONS: &[&str] = &[
    "cognitive behavioural therapy",
    "peer support",
    "mindfulness-based intervention",
    "collaborative care",
    "supported employment",
    "individual placement and support",
    "housing first",
    "digital mental health intervention",
    "smartphone app",
    "internet-delivered therapy",
    "group psychoeducation",
    "exercise programme",
    "motivational interviewing",
    "brief intervention",
    "social prescribing",
    "community health worker programme",
    "crisis resolution team",
    "early intervention service",
    "family therapy",
    "acceptance and commitment therapy",
    "problem-solving therapy",
    "behavioural activation",
    "antidepressant treatment",
    "lithium",
    "clozapine",
    "telepsychiatry",
    "recovery college",
    "open dialogue",
    "shared decision making",
    "care coordination",
    "school-based programme",
    "parenting intervention",
    "workplace mental health training",
    "self-management support",
    "trauma-focused therapy",
    "integrated primary care",
    "nurse-led follow-up",
    "text message reminders",
];

const POPULATIONS: &[&str] = &[
    "adolescents",
    "young people",
    "older adults",
    "university students",
    "veterans",
    "refugees",
    "asylum seekers",
    "migrants",
    "primary care patients",
    "people with severe mental illness",
    "carers",
    "health care workers",
    "nurses",
    "junior doctors",
    "prisoners",
    "people experiencing homelessness",
    "pregnant women",
    "new mothers",
    "fathers",
    "children in care",
    "LGBTQ+ adults",
    "ethnic minority groups",
    "rural residents",
    "unemployed adults",
    "people with intellectual disability",
    "care home residents",
    "adults with diabetes",
    "cancer survivors",
    "peer workers",
    "service users",
    "inpatients",
    "outpatients",
    "school pupils",
    "farmers",
    "police officers",
];

const SETTINGS: &[&str] = &[
    "primary care",
    "community mental health services",
    "rural areas",
    "low- and middle-income countries",
    "England",
    "Scotland",
    "Australia",
    "Canada",
    "the United States",
    "Denmark",
    "Germany",
    "the Netherlands",
    "Sweden",
    "Norway",
    "Brazil",
    "India",
    "China",
    "South Africa",
    "Kenya",
    "Nigeria",
    "Japan",
    "South Korea",
    "New Zealand",
    "Ireland",
    "Spain",
    "Italy",
    "France",
    "acute psychiatric wards",
    "emergency departments",
    "general hospitals",
    "secondary schools",
    "universities",
    "prisons",
    "care homes",
    "the workplace",
    "online communities",
];

const DESIGNS: &[&str] = &[
    "randomised controlled trial",
    "cluster randomised trial",
    "pilot feasibility study",
    "prospective cohort study",
    "retrospective cohort study",
    "cross-sectional survey",
    "systematic review and meta-analysis",
    "scoping review",
    "qualitative study",
    "mixed-methods evaluation",
    "realist evaluation",
    "case-control study",
    "longitudinal study",
    "population-based register study",
    "economic evaluation",
    "secondary analysis",
    "Delphi study",
    "natural experiment",
    "interrupted time series analysis",
];

const OUTCOMES: &[&str] = &[
    "symptom severity",
    "quality of life",
    "hospital readmission",
    "employment outcomes",
    "service use",
    "treatment adherence",
    "functional recovery",
    "wellbeing",
    "suicide attempts",
    "self-efficacy",
    "stigma",
    "help-seeking",
    "sleep quality",
    "physical activity",
    "cost-effectiveness",
    "social functioning",
    "personal recovery",
    "medication side effects",
    "waiting times",
    "patient satisfaction",
    "HbA1c",
    "blood pressure",
    "body mass index",
    "cognitive function",
    "days of work lost",
    "loneliness scores",
    "hope",
    "resilience",
];

const FACTORS: &[&str] = &[
    "socioeconomic deprivation",
    "childhood adversity",
    "social support",
    "discrimination",
    "neighbourhood cohesion",
    "screen time",
    "shift work",
    "financial strain",
    "food insecurity",
    "sleep duration",
    "cannabis use",
    "air pollution",
    "green space",
    "social media use",
    "ethnicity",
    "sexual orientation",
    "gender",
    "age at onset",
    "duration of untreated illness",
    "therapeutic alliance",
    "staff turnover",
    "continuity of care",
    "health literacy",
];

const KEYWORDS: &[&str] = &[
    "mental health",
    "recovery",
    "peer support",
    "stigma",
    "primary care",
    "depression",
    "anxiety",
    "psychosis",
    "schizophrenia",
    "wellbeing",
    "quality of life",
    "randomised trial",
    "qualitative research",
    "systematic review",
    "meta-analysis",
    "epidemiology",
    "public health",
    "health services research",
    "implementation science",
    "digital health",
    "mHealth",
    "telehealth",
    "employment",
    "housing",
    "homelessness",
    "social inclusion",
    "loneliness",
    "suicide prevention",
    "self-harm",
    "adolescence",
    "ageing",
    "dementia",
    "carers",
    "co-production",
    "service user involvement",
    "health inequalities",
    "social determinants",
    "cost-effectiveness",
    "psychotherapy",
    "pharmacotherapy",
    "COVID-19",
    "resilience",
    "trauma",
    "substance use",
    "alcohol",
    "sleep",
    "physical activity",
    "diabetes",
    "obesity",
    "multimorbidity",
    "community care",
    "crisis care",
    "coercion",
    "human rights",
    "ethics",
    "workforce",
    "burnout",
    "nursing",
    "social work",
    "occupational therapy",
    "global mental health",
];

const JOURNAL_HEAD: &[&str] = &[
    "Journal of",
    "International Journal of",
    "British Journal of",
    "European Journal of",
    "Annals of",
    "Archives of",
    "Advances in",
    "Current Opinion in",
    "Frontiers in",
    "Scandinavian Journal of",
    "Australian and New Zealand Journal of",
    "Canadian Journal of",
    "Asian Journal of",
    "BMC",
    "Clinical",
    "Research in",
    "Studies in",
    "Perspectives in",
];

const JOURNAL_TOPIC: &[&str] = &[
    "Psychiatry",
    "Mental Health",
    "Psychology",
    "Public Health",
    "Epidemiology",
    "Social Psychiatry",
    "Affective Disorders",
    "Anxiety Disorders",
    "Health Services Research",
    "Community Mental Health",
    "Nursing",
    "Psychiatric Nursing",
    "Social Work",
    "Primary Care",
    "Addiction",
    "Substance Use",
    "Child and Adolescent Psychiatry",
    "Geriatric Psychiatry",
    "Behavioural Medicine",
    "Psychosomatic Research",
    "Health Psychology",
    "Medical Sociology",
    "Global Health",
    "Family Medicine",
    "Occupational Health",
    "Sleep Research",
    "Eating Disorders",
    "Trauma and Dissociation",
    "Schizophrenia Research",
    "Psychotherapy",
];

// Rare words. Real bibliographic metadata follows Heaps' law: most distinct words are surnames,
// given names and rare technical terms that occur a handful of times. Each such word is a rank
// in a large space, drawn Zipf-like (the head repeats, the tail is long), and the rank alone
// decides the spelling, so the same rank is the same word in every record and every data set.

/// Zipf exponent: above 1 puts more weight on the head, so small sets have fewer rare words.
const ZIPF_S: f64 = 1.1;
/// Synthesized family names (besides the fixed lists).
const FAMILY_SPACE: u64 = 400_000;
/// Synthesized given names.
const GIVEN_SPACE: u64 = 30_000;
/// Rare technical terms: compounds, drugs, genes, places, species.
const TERM_SPACE: u64 = 500_000;

/// A rank in `0..n`, rank `k` with probability about proportional to `(k + 1)^-ZIPF_S`:
/// the inverse of the continuous power law's distribution over `1..n + 1`.
fn zipf(rng: &mut Rng, n: u64) -> u64 {
    let u = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
    let e = 1.0 - ZIPF_S;
    let top = ((n + 1) as f64).powf(e);
    let x = (1.0 + u * (top - 1.0)).powf(1.0 / e);
    (x as u64).saturating_sub(1).min(n - 1)
}

/// The generator that spells rank `rank` of a space; `salt` keeps the spaces apart.
fn speller(salt: u64, rank: u64) -> Rng {
    let mut h = Rng::new(salt ^ rank.wrapping_mul(0x9e37_79b9_7f4a_7c15));
    h.next_u64();
    h
}

const ONSETS: &[&str] = &[
    "b", "br", "bl", "c", "ch", "d", "dr", "f", "fr", "g", "gr", "h", "j", "k", "kr", "l", "m",
    "n", "p", "pr", "r", "s", "sh", "sl", "st", "t", "tr", "v", "w", "z", "", "", "l", "m",
];
const VOWELS: &[&str] = &[
    "a", "e", "i", "o", "u", "a", "e", "o", "a", "i", "e", "a", "o", "ai", "au", "ei", "ia", "ou",
];
const CODAS: &[&str] = &[
    "", "", "", "n", "r", "l", "s", "m", "k", "nd", "rt", "ng", "st", "ld", "rn", "t",
];

/// One to `max` pronounceable syllables: open ones, then one that may close on a consonant.
fn syllables(h: &mut Rng, min: u64, max: u64, out: &mut String) {
    for _ in 1..h.range(min, max) {
        out.push_str(h.pick(ONSETS));
        out.push_str(h.pick(VOWELS));
    }
    out.push_str(h.pick(ONSETS));
    out.push_str(h.pick(VOWELS));
    out.push_str(h.pick(CODAS));
}

/// Family-name endings by naming tradition.
const FAMILY_ENDINGS: &[&[&str]] = &[
    &[
        "mann", "berg", "stein", "feld", "er", "hoff", "bach", "ner", "inger", "haus",
    ],
    &[
        "sen", "son", "strom", "lund", "gaard", "dahl", "quist", "holm",
    ],
    &[
        "ov", "ova", "ski", "ska", "enko", "ic", "vich", "escu", "czyk", "ak",
    ],
    &[
        "ez", "es", "ini", "elli", "etti", "one", "ier", "eau", "ado", "eira", "ano",
    ],
    &[
        "ton", "ley", "wood", "well", "field", "ford", "ham", "by", "worth", "more", "ridge",
    ],
    &[
        "moto", "mura", "da", "ta", "shima", "kawa", "no", "saki", "yama",
    ],
    &[
        "an", "esh", "endra", "ani", "appa", "ya", "iah", "war", "ekar",
    ],
    &["oye", "emi", "ola", "ku", "ende", "ana", "wu", "umba", "ah"],
    &["", "", "", "i", "o", "a"],
];

/// Accented vowels for the few percent of names that are not ASCII.
const ACCENTS: &[(char, char)] = &[
    ('a', 'ä'),
    ('o', 'ö'),
    ('u', 'ü'),
    ('e', 'é'),
    ('a', 'á'),
    ('o', 'ø'),
    ('a', 'å'),
    ('i', 'í'),
    ('o', 'ó'),
    ('e', 'è'),
    ('u', 'ú'),
    ('c', 'č'),
    ('s', 'š'),
    ('l', 'ł'),
    ('n', 'ñ'),
];

/// Replaces the first `from` after the initial letter with `to`, if there is one.
fn accent(word: &str, from: char, to: char) -> String {
    let mut done = false;
    word.chars()
        .enumerate()
        .map(|(i, c)| {
            if i > 0 && !done && c == from {
                done = true;
                to
            } else {
                c
            }
        })
        .collect()
}

fn maybe_accent(h: &mut Rng, word: String, percent: u64) -> String {
    if h.percent(percent) {
        let (from, to) = ACCENTS[(h.next_u64() % ACCENTS.len() as u64) as usize];
        accent(&word, from, to)
    } else {
        word
    }
}

/// The synthesized family name of rank `rank`.
fn family_name(rank: u64) -> String {
    let mut h = speller(0xfa41_1e5a_0000_0001, rank);
    let endings = FAMILY_ENDINGS[(h.next_u64() % FAMILY_ENDINGS.len() as u64) as usize];
    let mut s = String::with_capacity(16);
    syllables(&mut h, 1, 2, &mut s);
    s.push_str(h.pick(endings));
    let s = capitalise(&s);
    maybe_accent(&mut h, s, 6)
}

const GIVEN_ENDINGS: &[&str] = &[
    "", "", "a", "o", "an", "el", "ia", "ina", "ard", "us", "ik", "ai", "ette", "ko", "ji", "esh",
    "ita", "en", "y", "ie", "on", "is",
];

/// The synthesized given name of rank `rank`.
fn given_name(rank: u64) -> String {
    let mut h = speller(0x617e_0000_0000_0002, rank);
    let mut s = String::with_capacity(12);
    syllables(&mut h, 1, 2, &mut s);
    s.push_str(h.pick(GIVEN_ENDINGS));
    let s = capitalise(&s);
    maybe_accent(&mut h, s, 5)
}

const TERM_PREFIXES: &[&str] = &[
    "neuro",
    "cardio",
    "hepato",
    "immuno",
    "cyto",
    "myelo",
    "osteo",
    "gastro",
    "nephro",
    "pneumo",
    "dermato",
    "endo",
    "angio",
    "lipo",
    "glyco",
    "thrombo",
    "hemato",
    "onco",
    "psycho",
    "pharmaco",
    "chrono",
    "myo",
    "retino",
    "cortico",
    "thyro",
    "adeno",
    "lympho",
    "fibro",
    "neuroimmuno",
    "photo",
    "chemo",
    "proteo",
    "metabo",
    "entero",
    "spleno",
    "oto",
    "rhino",
    "crani",
    "spondylo",
    "tox",
];
const TERM_SUFFIXES: &[&str] = &[
    "ology",
    "ase",
    "itis",
    "osis",
    "opathy",
    "genesis",
    "cyte",
    "kine",
    "emia",
    "plasty",
    "ectomy",
    "tropin",
    "lysin",
    "philia",
    "some",
    "gen",
    "oid",
    "blast",
    "trophy",
    "algia",
    "statin",
    "metry",
    "graphy",
    "sclerosis",
    "peptide",
    "receptor",
    "plasmin",
    "globulin",
];
const DRUG_SUFFIXES: &[&str] = &[
    "mab", "zumab", "ximab", "zepam", "pril", "sartan", "olol", "tinib", "vir", "cillin", "mycin",
    "azole", "oxetine", "idone", "afil", "gliptin", "statin", "parin", "triptan", "dronate",
    "apine", "profen", "setron", "lukast", "dipine",
];
const PLACE_SUFFIXES: &[&str] = &[
    "ville", "burg", "ford", "abad", "pur", "stad", "ton", "ham", "grad", "polis", "field",
    "haven", "dorf", "ia", "ovo", "ec", "ingen", "wick", "shire", "anga",
];
const GENUS_SUFFIXES: &[&str] = &[
    "ella", "ia", "us", "ium", "omyces", "bacter", "coccus", "monas", "ops", "odon",
];
const SPECIES_SUFFIXES: &[&str] = &["ensis", "ii", "ata", "oides", "icum", "ae", "alis", "ina"];

/// The rare technical term of rank `rank`: a biomedical compound, a drug, a gene, a place or a
/// species.
fn term(rank: u64) -> String {
    let mut h = speller(0x7e43_0000_0000_0003, rank);
    let mut s = String::with_capacity(20);
    match h.range(0, 99) {
        0..=34 => {
            s.push_str(h.pick(TERM_PREFIXES));
            if h.percent(70) {
                syllables(&mut h, 1, 1, &mut s);
            }
            s.push_str(h.pick(TERM_SUFFIXES));
        }
        35..=54 => {
            syllables(&mut h, 1, 2, &mut s);
            s.push_str(h.pick(DRUG_SUFFIXES));
        }
        55..=69 => {
            // Gene or protein symbol: capitals and a number (BRCA2, TP53, KIAA1549).
            for _ in 0..h.range(2, 5) {
                s.push((b'A' + h.range(0, 25) as u8) as char);
            }
            let top = if h.percent(80) { 19 } else { 2000 };
            let _ = write!(s, "{}", h.range(1, top));
        }
        70..=84 => {
            syllables(&mut h, 1, 2, &mut s);
            s.push_str(h.pick(PLACE_SUFFIXES));
            s = maybe_accent(&mut h, capitalise(&s), 5);
        }
        _ => {
            syllables(&mut h, 1, 2, &mut s);
            s.push_str(h.pick(GENUS_SUFFIXES));
            s = capitalise(&s);
            s.push(' ');
            syllables(&mut h, 1, 2, &mut s);
            s.push_str(h.pick(SPECIES_SUFFIXES));
        }
    }
    s
}

/// A rare term drawn from the whole term space.
fn rare_term(rng: &mut Rng) -> String {
    term(zipf(rng, TERM_SPACE))
}

const ABSTRACT_LABELS: [&str; 4] = ["BACKGROUND", "METHODS", "RESULTS", "CONCLUSIONS"];

/// Third part of a journal name, so heads x topics x tails gives a few thousand journals.
const JOURNAL_TAIL: &[&str] = &[
    "",
    "Research",
    "Reports",
    "Practice",
    "Open",
    "and Related Sciences",
    "Letters",
    "Reviews",
];

fn journal(rng: &mut Rng) -> String {
    // A few thousand journals, a few big ones and a long tail, as in real exports.
    let space = (JOURNAL_HEAD.len() * JOURNAL_TOPIC.len() * JOURNAL_TAIL.len()) as u64;
    // Multiplying by a number coprime to the space spreads the big journals over all heads.
    let n = zipf(rng, space) * 1009 % space;
    let head = JOURNAL_HEAD[(n % JOURNAL_HEAD.len() as u64) as usize];
    let n = n / JOURNAL_HEAD.len() as u64;
    let topic = JOURNAL_TOPIC[(n % JOURNAL_TOPIC.len() as u64) as usize];
    let tail = JOURNAL_TAIL[(n / JOURNAL_TOPIC.len() as u64) as usize % JOURNAL_TAIL.len()];
    if tail.is_empty() {
        format!("{head} {topic}")
    } else {
        format!("{head} {topic} {tail}")
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn title(rng: &mut Rng) -> String {
    let t = match rng.range(0, 7) {
        0 => format!(
            "{} for {} among {} in {}: a {}",
            capitalise(rng.pick(INTERVENTIONS)),
            rng.pick(CONDITIONS),
            rng.pick(POPULATIONS),
            rng.pick(SETTINGS),
            rng.pick(DESIGNS)
        ),
        1 => format!(
            "The association between {} and {} in {}",
            rng.pick(FACTORS),
            rng.pick(CONDITIONS),
            rng.pick(POPULATIONS)
        ),
        2 => format!(
            "Effect of {} on {} and {} for {}: a {}",
            rng.pick(INTERVENTIONS),
            rng.pick(OUTCOMES),
            rng.pick(OUTCOMES),
            rng.pick(POPULATIONS),
            rng.pick(DESIGNS)
        ),
        3 => format!(
            "Experiences of {} among {} with {} in {}: a {}",
            rng.pick(INTERVENTIONS),
            rng.pick(POPULATIONS),
            rng.pick(CONDITIONS),
            rng.pick(SETTINGS),
            rng.pick(DESIGNS)
        ),
        4 => format!(
            "{} as a predictor of {} in {} with {}",
            capitalise(rng.pick(FACTORS)),
            rng.pick(OUTCOMES),
            rng.pick(POPULATIONS),
            rng.pick(CONDITIONS)
        ),
        5 => format!(
            "Prevalence and correlates of {} among {} in {}",
            rng.pick(CONDITIONS),
            rng.pick(POPULATIONS),
            rng.pick(SETTINGS)
        ),
        6 => format!(
            "Implementing {} in {}: barriers, facilitators and lessons for {}",
            rng.pick(INTERVENTIONS),
            rng.pick(SETTINGS),
            rng.pick(POPULATIONS)
        ),
        _ => format!(
            "Does {} improve {} in people with {}? Findings from a {}",
            rng.pick(INTERVENTIONS),
            rng.pick(OUTCOMES),
            rng.pick(CONDITIONS),
            rng.pick(DESIGNS)
        ),
    };
    // Titles run 8-20 words: pad a short one with a setting, as real titles do.
    let t = if t.split(' ').count() < 8 {
        format!("{t} in {}", rng.pick(SETTINGS))
    } else {
        t
    };
    with_rare_terms(rng, t)
}

/// Adds one to three rare terms to a title, as long as it stays within 24 words.
fn with_rare_terms(rng: &mut Rng, t: String) -> String {
    let mut terms: Vec<String> = (0..rng.range(1, 3)).map(|_| rare_term(rng)).collect();
    let style = rng.range(0, 3);
    while !terms.is_empty() {
        let phrase = match (style, &terms[..]) {
            (0, [a]) => format!(": the role of {a}"),
            (0 | 1, [a, b]) => format!(": {a} and {b}"),
            (0 | 1, [a, b, c]) => format!(": {a}, {b} and {c}"),
            (2, _) => format!(" ({})", terms.join(", ")),
            (_, [a]) => format!(", with a focus on {a}"),
            (_, [a, b]) => format!(", with a focus on {a} and {b}"),
            _ => format!(", with a focus on {}", terms.join(", ")),
        };
        if t.split(' ').count() + phrase.split(' ').count() - 1 <= 24 {
            return t + &phrase;
        }
        terms.pop();
    }
    t
}

fn background(rng: &mut Rng, out: &mut String) {
    let s = match rng.range(0, 3) {
        0 => format!(
            "{} is common among {} and is associated with poor {} and increased {}.",
            capitalise(rng.pick(CONDITIONS)),
            rng.pick(POPULATIONS),
            rng.pick(OUTCOMES),
            rng.pick(OUTCOMES)
        ),
        1 => format!(
            "Little is known about how {} shapes {} for {} living in {}.",
            rng.pick(FACTORS),
            rng.pick(OUTCOMES),
            rng.pick(POPULATIONS),
            rng.pick(SETTINGS)
        ),
        2 => format!(
            "Although {} is recommended in national guidelines, its uptake in {} remains low and evidence on {} is mixed.",
            rng.pick(INTERVENTIONS),
            rng.pick(SETTINGS),
            rng.pick(OUTCOMES)
        ),
        _ => format!(
            "There is growing interest in {} as a way to reduce {} among people with {}.",
            rng.pick(INTERVENTIONS),
            rng.pick(OUTCOMES),
            rng.pick(CONDITIONS)
        ),
    };
    push_sentence(out, &s);
}

fn methods(rng: &mut Rng, out: &mut String) {
    let n = rng.range(24, 48_000);
    let s = match rng.range(0, 3) {
        0 => format!(
            "We conducted a {} with {n} {} recruited from {} between {} and {}.",
            rng.pick(DESIGNS),
            rng.pick(POPULATIONS),
            rng.pick(SETTINGS),
            rng.range(1995, 2015),
            rng.range(2016, 2024)
        ),
        1 => format!(
            "Participants (n = {n}) were randomly allocated to {} or usual care and followed up for {} months.",
            rng.pick(INTERVENTIONS),
            rng.range(3, 36)
        ),
        2 => format!(
            "Data were analysed using multilevel regression models adjusted for {}, {} and {}.",
            rng.pick(FACTORS),
            rng.pick(FACTORS),
            rng.pick(FACTORS)
        ),
        _ => format!(
            "Semi-structured interviews with {} {} were analysed thematically, informed by the literature on {}.",
            rng.range(8, 60),
            rng.pick(POPULATIONS),
            rng.pick(OUTCOMES)
        ),
    };
    push_sentence(out, &s);
}

fn results(rng: &mut Rng, out: &mut String) {
    let s = match rng.range(0, 3) {
        0 => format!(
            "{} was associated with {} {} (odds ratio {}.{:02}, 95% CI {}.{:02} to {}.{:02}).",
            capitalise(rng.pick(FACTORS)),
            if rng.percent(50) { "higher" } else { "lower" },
            rng.pick(OUTCOMES),
            rng.range(1, 3),
            rng.range(0, 99),
            rng.range(0, 1),
            rng.range(10, 99),
            rng.range(2, 5),
            rng.range(0, 99)
        ),
        1 => format!(
            "Compared with usual care, {} improved {} at {} months (standardised mean difference 0.{:02}) but not {}.",
            rng.pick(INTERVENTIONS),
            rng.pick(OUTCOMES),
            rng.range(3, 24),
            rng.range(5, 80),
            rng.pick(OUTCOMES)
        ),
        2 => format!(
            "Participants described {} and {} as central to their {}, while {} was a recurring barrier.",
            rng.pick(FACTORS),
            rng.pick(INTERVENTIONS),
            rng.pick(OUTCOMES),
            rng.pick(FACTORS)
        ),
        _ => format!(
            "The prevalence of {} was {}.{}% and was highest among {}.",
            rng.pick(CONDITIONS),
            rng.range(2, 45),
            rng.range(0, 9),
            rng.pick(POPULATIONS)
        ),
    };
    push_sentence(out, &s);
}

fn conclusions(rng: &mut Rng, out: &mut String) {
    let s = match rng.range(0, 2) {
        0 => format!(
            "{} may be an effective and acceptable way to improve {} for {}, but larger trials in {} are needed.",
            capitalise(rng.pick(INTERVENTIONS)),
            rng.pick(OUTCOMES),
            rng.pick(POPULATIONS),
            rng.pick(SETTINGS)
        ),
        1 => format!(
            "Services should address {} and {} when planning support for people with {}.",
            rng.pick(FACTORS),
            rng.pick(FACTORS),
            rng.pick(CONDITIONS)
        ),
        _ => format!(
            "These findings have implications for policy on {} and for the training of staff working with {}.",
            rng.pick(INTERVENTIONS),
            rng.pick(POPULATIONS)
        ),
    };
    push_sentence(out, &s);
}

fn push_sentence(out: &mut String, s: &str) {
    if !out.is_empty() {
        out.push(' ');
    }
    out.push_str(s);
}

/// A sentence naming rare terms (compounds, genes, places), which real abstracts are full of.
fn rare_sentence(rng: &mut Rng, out: &mut String) {
    let a = rare_term(rng);
    let s = match rng.range(0, 3) {
        0 => format!("Secondary analyses examined {a} and {}.", rare_term(rng)),
        1 => format!(
            "Exposure to {a}, {} and {} was recorded at baseline.",
            rare_term(rng),
            rare_term(rng)
        ),
        2 => format!("Levels of {a} did not differ between groups."),
        _ => format!(
            "{} was identified in {}% of samples.",
            capitalise(&a),
            rng.range(2, 60)
        ),
    };
    push_sentence(out, &s);
}

/// About 1.2 KB on average; a third are structured in the four usual sections.
fn abstract_sections(rng: &mut Rng) -> Vec<Section> {
    type Part = fn(&mut Rng, &mut String);
    let parts: [Part; 4] = [background, methods, results, conclusions];
    let counts = [
        rng.range(1, 3),
        rng.range(2, 3),
        rng.range(2, 5),
        rng.range(1, 2),
    ];
    if rng.percent(35) {
        ABSTRACT_LABELS
            .iter()
            .zip(parts)
            .zip(counts)
            .map(|((label, part), n)| {
                let mut text = String::new();
                for _ in 0..n {
                    part(rng, &mut text);
                }
                if *label == "RESULTS" && rng.percent(70) {
                    rare_sentence(rng, &mut text);
                }
                Section {
                    label: Some((*label).to_string()),
                    text,
                }
            })
            .collect()
    } else {
        let mut text = String::new();
        for (k, (part, n)) in parts.iter().zip(counts).enumerate() {
            for _ in 0..n {
                part(rng, &mut text);
            }
            if k == 2 && rng.percent(70) {
                rare_sentence(rng, &mut text);
            }
        }
        vec![Section { label: None, text }]
    }
}

fn family(rng: &mut Rng) -> String {
    // Common names repeat: about 40% come from the fixed lists, the rest from the long tail.
    match rng.range(0, 99) {
        0..=3 => rng.pick(FAMILY_INTL).to_string(),
        4..=39 => rng.pick(FAMILY).to_string(),
        40..=96 => family_name(zipf(rng, FAMILY_SPACE)),
        _ => format!(
            "{}-{}",
            family_name(zipf(rng, FAMILY_SPACE)),
            family_name(zipf(rng, FAMILY_SPACE))
        ),
    }
}

fn author(rng: &mut Rng) -> Author {
    let family = family(rng);
    let given = match rng.range(0, 99) {
        0..=3 => rng.pick(GIVEN_INTL).to_string(),
        4..=64 => rng.pick(GIVEN).to_string(),
        _ => given_name(zipf(rng, GIVEN_SPACE)),
    };
    // Some exports give a middle initial.
    if rng.percent(25) {
        let initial = (b'A' + rng.range(0, 25) as u8) as char;
        Author::from_parts(&family, &format!("{given} {initial}."))
    } else {
        Author::from_parts(&family, &given)
    }
}

/// Record `index` of the data set `seed`: the same pair always gives the same record.
pub fn record(seed: u64, index: u64) -> Record {
    let mut rng = Rng::new(seed ^ index.wrapping_mul(0xd1b5_4a32_d192_ed03));
    rng.next_u64();
    let mut r = Record::new(Source::default());
    r.kind = Kind::Article;
    r.title = Some(title(&mut rng));
    let n_authors = rng.range(2, 8);
    r.authors = (0..n_authors).map(|_| author(&mut rng)).collect();
    let year = rng.range(1970, 2026) as i32;
    let month = rng.range(1, 12);
    r.year = Some(year);
    r.date = Some(format!("{year}-{month:02}"));
    r.container = Some(journal(&mut rng));
    r.volume = Some(rng.range(1, 80).to_string());
    r.issue = Some(rng.range(1, 12).to_string());
    let first = rng.range(1, 1400);
    r.pages = Some(format!("{first}-{}", first + rng.range(4, 24)));
    r.doi = Some(format!(
        "10.{}/lb.{year}.{index:07}",
        1000 + rng.range(0, 8999)
    ));
    r.pmid = Some((10_000_000 + index).to_string());
    r.issn = vec![format!(
        "{:04}-{:04}",
        rng.range(1000, 9999),
        rng.range(1000, 9999)
    )];
    let n_kw = rng.range(3, 8);
    let mut keywords: Vec<String> = Vec::new();
    while keywords.len() < n_kw as usize {
        // Authors' own keywords are often specific: a compound, a gene, a place.
        let k = if rng.percent(25) {
            rare_term(&mut rng)
        } else {
            rng.pick(KEYWORDS).to_string()
        };
        if !keywords.contains(&k) {
            keywords.push(k);
        }
    }
    r.keywords = keywords;
    r.abstract_sections = abstract_sections(&mut rng);
    r.language = Some("eng".to_string());
    r
}

/// Appends a record as RIS.
pub fn write_ris(r: &Record, out: &mut String) {
    let mut tag = |t: &str, v: &str| {
        let _ = writeln!(out, "{t}  - {v}");
    };
    tag("TY", "JOUR");
    for a in &r.authors {
        tag(
            "AU",
            &format!(
                "{}, {}",
                a.family.as_deref().unwrap_or(""),
                a.given.as_deref().unwrap_or("")
            ),
        );
    }
    if let Some(t) = &r.title {
        tag("TI", t);
    }
    if let Some(c) = &r.container {
        tag("T2", c);
    }
    if let Some(y) = r.year {
        tag("PY", &y.to_string());
    }
    if let Some(d) = &r.date {
        tag("DA", &d.replace('-', "/"));
    }
    if let Some(v) = &r.volume {
        tag("VL", v);
    }
    if let Some(i) = &r.issue {
        tag("IS", i);
    }
    if let Some((sp, ep)) = r.pages.as_deref().and_then(|p| p.split_once('-')) {
        tag("SP", sp);
        tag("EP", ep);
    }
    for s in &r.issn {
        tag("SN", s);
    }
    if let Some(d) = &r.doi {
        tag("DO", d);
    }
    for k in &r.keywords {
        tag("KW", k);
    }
    let ab = r.abstract_text();
    if !ab.is_empty() {
        tag("AB", &ab);
    }
    if let Some(l) = &r.language {
        tag("LA", l);
    }
    tag("ER", "");
    out.push('\n');
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Appends a record as MEDLINE (PubMed's text format): 4-character tags, long values wrapped
/// at 88 columns with 6-space continuation lines.
pub fn write_medline(r: &Record, out: &mut String) {
    fn tag(out: &mut String, t: &str, v: &str) {
        let _ = write!(out, "{t:<4}- ");
        let mut col = 6;
        for (i, word) in v.split(' ').enumerate() {
            if i > 0 {
                if col + 1 + word.len() > 88 {
                    out.push_str("\n      ");
                    col = 6;
                } else {
                    out.push(' ');
                    col += 1;
                }
            }
            out.push_str(word);
            col += word.len();
        }
        out.push('\n');
    }
    if let Some(p) = &r.pmid {
        tag(out, "PMID", p);
    }
    tag(out, "OWN", "NLM");
    tag(out, "STAT", "MEDLINE");
    for s in &r.issn {
        tag(out, "IS", &format!("{s} (Electronic)"));
    }
    if let Some(v) = &r.volume {
        tag(out, "VI", v);
    }
    if let Some(i) = &r.issue {
        tag(out, "IP", i);
    }
    if let (Some(y), Some(d)) = (r.year, &r.date) {
        let m = d
            .get(5..7)
            .and_then(|m| m.parse::<usize>().ok())
            .and_then(|m| MONTHS.get(m.wrapping_sub(1)))
            .copied()
            .unwrap_or("");
        tag(out, "DP", format!("{y} {m}").trim());
    }
    if let Some(t) = &r.title {
        tag(out, "TI", t);
    }
    if let Some(p) = &r.pages {
        tag(out, "PG", p);
    }
    if let Some(d) = &r.doi {
        tag(out, "LID", &format!("{d} [doi]"));
    }
    let ab = r.abstract_text();
    if !ab.is_empty() {
        tag(out, "AB", &ab);
    }
    for a in &r.authors {
        let family = a.family.as_deref().unwrap_or("");
        let given = a.given.as_deref().unwrap_or("");
        tag(out, "FAU", &format!("{family}, {given}"));
        let initials: String = given
            .split([' ', '-'])
            .filter_map(|w| w.chars().next())
            .filter(|c| c.is_alphabetic())
            .collect();
        tag(out, "AU", &format!("{family} {initials}"));
    }
    if let Some(l) = &r.language {
        tag(out, "LA", l);
    }
    tag(out, "PT", "Journal Article");
    if let Some(c) = &r.container {
        tag(out, "JT", c);
        tag(out, "TA", c);
    }
    for k in &r.keywords {
        tag(out, "OT", k);
    }
    if let Some(d) = &r.doi {
        tag(out, "AID", &format!("{d} [doi]"));
    }
    out.push('\n');
}

/// One line for `fzf --filter`: title, authors, keywords, journal, year (what litbrowse matches
/// without a field prefix).
pub fn write_fzf_line(r: &Record, out: &mut String) {
    out.push_str(r.title.as_deref().unwrap_or(""));
    out.push_str(" | ");
    for (i, a) in r.authors.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&a.name);
    }
    out.push_str(" | ");
    out.push_str(&r.keywords.join("; "));
    out.push_str(" | ");
    out.push_str(r.container.as_deref().unwrap_or(""));
    if let Some(y) = r.year {
        let _ = write!(out, " | {y}");
    }
    out.push('\n');
}

/// The abstract alone on one line, for `fzf --filter` against `ab:` queries.
pub fn write_fzf_abstract(r: &Record, out: &mut String) {
    out.push_str(&r.abstract_text());
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_record_other_seed_other_record() {
        assert_eq!(record(7, 42), record(7, 42));
        assert_ne!(record(7, 42), record(8, 42));
        assert_ne!(record(7, 42), record(7, 43));
    }

    #[test]
    fn records_have_realistic_shape() {
        let n = 2000;
        let mut abstract_bytes = 0;
        let mut non_ascii_authors = 0;
        let mut authors = 0;
        let mut structured = 0;
        for i in 0..n {
            let r = record(1, i);
            let words = r.title.as_deref().unwrap().split(' ').count();
            assert!((8..=24).contains(&words), "title of {words} words");
            assert!((2..=8).contains(&r.authors.len()));
            assert!((3..=8).contains(&r.keywords.len()));
            assert!((1970..=2026).contains(&r.year.unwrap()));
            abstract_bytes += r.abstract_text().len();
            authors += r.authors.len();
            non_ascii_authors += r.authors.iter().filter(|a| !a.name.is_ascii()).count();
            structured += usize::from(r.abstract_sections.len() == 4);
        }
        let mean = abstract_bytes / n as usize;
        assert!((1000..=1400).contains(&mean), "mean abstract {mean} bytes");
        let pct = non_ascii_authors * 100 / authors;
        assert!((2..=15).contains(&pct), "{pct}% non-ASCII authors");
        assert!(
            structured > 500 && structured < 900,
            "{structured} structured"
        );
    }

    #[test]
    fn vocabulary_grows_like_real_metadata() {
        let records: Vec<Record> = (0..10_000).map(|i| record(1, i)).collect();
        let families: std::collections::HashSet<&str> = records[..2000]
            .iter()
            .flat_map(|r| r.authors.iter().filter_map(|a| a.family.as_deref()))
            .collect();
        // The fixed lists alone, all the old generator had, hold under 400 family names.
        let fixed = FAMILY.len() + FAMILY_INTL.len();
        assert!(
            families.len() > 3 * fixed,
            "{} distinct family names in 2000 records",
            families.len()
        );
        let journals: std::collections::HashSet<&str> = records
            .iter()
            .filter_map(|r| r.container.as_deref())
            .collect();
        assert!(journals.len() > 1000, "{} journals", journals.len());
        // Real exports have about 33k distinct metadata words per 10k records (Heaps' law
        // fitted to the corpus); the brief's target is 15-30k.
        let index =
            crate::search::Index::new(std::sync::Arc::new(crate::store::Records::from(records)));
        let words = index.vocabulary();
        assert!((15_000..=35_000).contains(&words), "{words} distinct words");
    }

    #[test]
    fn rare_words_repeat_at_the_head_and_thin_out_in_the_tail() {
        let mut rng = Rng::new(11);
        let ranks: Vec<u64> = (0..100_000).map(|_| zipf(&mut rng, TERM_SPACE)).collect();
        assert!(ranks.iter().all(|&k| k < TERM_SPACE));
        let count = |lo: u64, hi: u64| ranks.iter().filter(|&&k| (lo..hi).contains(&k)).count();
        // Exponent 1.1: rank 0 takes about 9%, ranks from 10,000 on about 18%, the upper half
        // of the space under 3%.
        assert!(count(0, 1) > 3000, "rank 0 drawn {} times", count(0, 1));
        assert!(count(TERM_SPACE / 2, TERM_SPACE) < 10_000);
        assert!(count(10_000, TERM_SPACE) > 15_000, "tail too thin");
        // The same rank is the same word wherever it is drawn.
        assert_eq!(term(1234), term(1234));
        assert_eq!(family_name(77), family_name(77));
        assert_ne!(family_name(77), family_name(78));
        // Synthesized names are capitalised and pronounceable-looking words.
        for k in 0..500 {
            let f = family_name(k);
            assert!(f.chars().next().unwrap().is_uppercase(), "{f}");
            assert!(f.chars().all(char::is_alphabetic), "{f}");
            let g = given_name(k);
            assert!(g.chars().next().unwrap().is_uppercase(), "{g}");
        }
    }

    #[test]
    fn titles_carry_rare_terms_within_24_words() {
        let mut rng = Rng::new(5);
        let base = "Peer support for depression among older adults in rural areas".to_string();
        let connectors = ["the", "role", "of", "and", "with", "a", "focus", "on"];
        let (mut fewest, mut most) = (usize::MAX, 0);
        for _ in 0..300 {
            let t = with_rare_terms(&mut rng, base.clone());
            assert!(t.starts_with(&base) && t.len() > base.len(), "{t}");
            assert!(t.split(' ').count() <= 24, "{t}");
            let added = t[base.len()..]
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty() && !connectors.contains(w))
                .count();
            fewest = fewest.min(added);
            most = most.max(added);
        }
        // One to three terms (a species takes two words).
        assert_eq!(fewest, 1);
        assert!((3..=6).contains(&most), "{most} words of rare terms");
        // A title with no room left keeps its words as they are.
        let long = vec!["word"; 24].join(" ");
        assert_eq!(with_rare_terms(&mut rng, long.clone()), long);
        // Records carry them: the title is longer than any template's fixed words.
        let t = record(2, 0).title.unwrap();
        assert!(t.split(' ').count() >= 9, "{t}");
    }

    #[test]
    fn ris_and_medline_text_has_expected_tags() {
        let r = record(3, 5);
        let mut ris = String::new();
        write_ris(&r, &mut ris);
        assert!(ris.starts_with("TY  - JOUR\nAU  - "));
        assert!(ris.ends_with("ER  - \n\n"));
        assert!(ris.contains(&format!("DO  - {}\n", r.doi.as_deref().unwrap())));
        let mut med = String::new();
        write_medline(&r, &mut med);
        assert!(med.starts_with(&format!("PMID- {}\n", r.pmid.as_deref().unwrap())));
        assert!(med.lines().all(|l| l.chars().count() <= 88 + 20));
        let mut line = String::new();
        write_fzf_line(&r, &mut line);
        assert_eq!(line.matches('\n').count(), 1);
        assert!(line.contains(r.title.as_deref().unwrap()));
    }
}
