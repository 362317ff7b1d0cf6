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

const ABSTRACT_LABELS: [&str; 4] = ["BACKGROUND", "METHODS", "RESULTS", "CONCLUSIONS"];

fn journal(rng: &mut Rng) -> String {
    // A fixed set of a few hundred journals: the head and topic come from a small seed.
    let n = rng.range(0, 539);
    let head = JOURNAL_HEAD[(n % JOURNAL_HEAD.len() as u64) as usize];
    let topic =
        JOURNAL_TOPIC[(n / JOURNAL_HEAD.len() as u64 % JOURNAL_TOPIC.len() as u64) as usize];
    format!("{head} {topic}")
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
    if t.split(' ').count() < 8 {
        format!("{t} in {}", rng.pick(SETTINGS))
    } else {
        t
    }
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
                Section {
                    label: Some((*label).to_string()),
                    text,
                }
            })
            .collect()
    } else {
        let mut text = String::new();
        for (part, n) in parts.iter().zip(counts) {
            for _ in 0..n {
                part(rng, &mut text);
            }
        }
        vec![Section { label: None, text }]
    }
}

fn author(rng: &mut Rng) -> Author {
    let family = if rng.percent(4) {
        rng.pick(FAMILY_INTL)
    } else {
        rng.pick(FAMILY)
    };
    let given = if rng.percent(4) {
        rng.pick(GIVEN_INTL)
    } else {
        rng.pick(GIVEN)
    };
    // Some exports give a middle initial.
    if rng.percent(25) {
        let initial = (b'A' + rng.range(0, 25) as u8) as char;
        Author::from_parts(family, &format!("{given} {initial}."))
    } else {
        Author::from_parts(family, given)
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
        let k = rng.pick(KEYWORDS);
        if !keywords.iter().any(|x| x == k) {
            keywords.push(k.to_string());
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
