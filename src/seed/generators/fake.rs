//! The `fake` crate's families, by name, in any of its locales.
//!
//! A family is chosen at profile load time; the locale is a runtime value,
//! so [`generate`] dispatches once per call to a function generic over
//! fake's locale type (monomorphised per locale).

use fake::faker::impls::address::CityNameGenFn;
use fake::locales::Data;
use fake::Fake;
use rand::RngExt;

use crate::seed::rng::SeedRng;

/// Locales `fake` ships (`fake::locales`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Locale {
    #[default]
    En,
    FrFr,
    DeDe,
    ItIt,
    PtBr,
    PtPt,
    NlNl,
    ZhCn,
    ZhTw,
    JaJp,
    ArSa,
    CyGb,
    TrTr,
    FaIr,
}

pub const LOCALES: &[(&str, Locale)] = &[
    ("en", Locale::En),
    ("fr_fr", Locale::FrFr),
    ("de_de", Locale::DeDe),
    ("it_it", Locale::ItIt),
    ("pt_br", Locale::PtBr),
    ("pt_pt", Locale::PtPt),
    ("nl_nl", Locale::NlNl),
    ("zh_cn", Locale::ZhCn),
    ("zh_tw", Locale::ZhTw),
    ("ja_jp", Locale::JaJp),
    ("ar_sa", Locale::ArSa),
    ("cy_gb", Locale::CyGb),
    ("tr_tr", Locale::TrTr),
    ("fa_ir", Locale::FaIr),
];

impl Locale {
    /// `fr_FR`, `fr-fr`, `FR_FR` and `en_US`/`en_GB` (→ `en`) all work.
    pub fn parse(s: &str) -> Option<Locale> {
        let norm = s.trim().to_ascii_lowercase().replace('-', "_");
        if matches!(norm.as_str(), "en_us" | "en_gb") {
            return Some(Locale::En);
        }
        LOCALES.iter().find(|(n, _)| *n == norm).map(|(_, l)| *l)
    }
}

macro_rules! families {
    ($($variant:ident = $name:literal $(| $alias:literal)*;)+) => {
        /// A family of fake text (or, for coordinates, numbers).
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Family { $($variant,)+ }

        /// Every family name and alias, for lookup and did-you-mean.
        pub const FAMILIES: &[(&str, Family)] = &[
            $(($name, Family::$variant), $(($alias, Family::$variant),)*)+
        ];
    };
}

families! {
    FirstName = "first_name";
    LastName = "last_name";
    FullName = "full_name" | "name";
    NameWithTitle = "name_with_title";
    PersonTitle = "person_title";
    NameSuffix = "name_suffix";
    Email = "email" | "free_email";
    SafeEmail = "safe_email";
    Username = "username";
    Password = "password";
    FreeEmailProvider = "free_email_provider";
    DomainSuffix = "domain_suffix";
    Ipv4 = "ipv4";
    Ipv6 = "ipv6";
    Ip = "ip";
    MacAddress = "mac_address";
    UserAgent = "user_agent";
    CompanyName = "company_name" | "company";
    CompanySuffix = "company_suffix";
    CatchPhrase = "catch_phrase";
    Buzzword = "buzzword";
    Bs = "bs";
    Profession = "profession";
    Industry = "industry";
    StreetName = "street_name";
    StreetAddress = "street_address" | "address";
    BuildingNumber = "building_number";
    SecondaryAddress = "secondary_address";
    City = "city";
    State = "state";
    StateAbbr = "state_abbr";
    ZipCode = "zip_code";
    PostCode = "post_code" | "postcode";
    Country = "country";
    CountryCode = "country_code";
    TimeZone = "time_zone" | "timezone";
    Latitude = "latitude";
    Longitude = "longitude";
    PhoneNumber = "phone_number" | "phone";
    CellNumber = "cell_number";
    Word = "word";
    Words = "words";
    Sentence = "sentence";
    Sentences = "sentences";
    Paragraph = "paragraph";
    Paragraphs = "paragraphs";
    JobTitle = "job_title";
    JobPosition = "job_position";
    JobField = "job_field";
    JobSeniority = "job_seniority";
    CreditCardNumber = "credit_card_number" | "credit_card";
    CurrencyCode = "currency_code";
    CurrencyName = "currency_name";
    CurrencySymbol = "currency_symbol";
    Bic = "bic";
    Isin = "isin";
    FileName = "file_name";
    FilePath = "file_path";
    FileExtension = "file_extension";
    DirPath = "dir_path";
    MimeType = "mime_type";
    Semver = "semver";
    Isbn = "isbn";
    Isbn13 = "isbn13";
}

impl Family {
    pub fn lookup(name: &str) -> Option<Family> {
        FAMILIES.iter().find(|(n, _)| *n == name).map(|(_, f)| *f)
    }

    pub fn name(self) -> &'static str {
        FAMILIES
            .iter()
            .find(|(_, f)| *f == self)
            .map(|(n, _)| *n)
            .unwrap_or("?")
    }

    /// Families whose output is a count of things (`words: 2..5`): the
    /// default count range, inclusive.
    pub fn default_count(self) -> Option<(usize, usize)> {
        match self {
            Family::Words => Some((2, 5)),
            Family::Sentence => Some((4, 12)),
            Family::Sentences => Some((2, 4)),
            Family::Paragraph => Some((3, 6)),
            Family::Paragraphs => Some((2, 3)),
            Family::Password => Some((10, 16)),
            _ => None,
        }
    }

    /// The largest count a counted family takes (`{words: N}`), so that
    /// one value stays well under a megabyte (docs/seed-format.md, Limits).
    pub fn max_count(self) -> usize {
        match self {
            Family::Words | Family::Sentence | Family::Password => 10_000,
            Family::Sentences | Family::Paragraph => 1_000,
            Family::Paragraphs => 100,
            _ => 1,
        }
    }

    /// An upper estimate of one value's bytes for a count of `count`: 64
    /// bytes a word (any locale's lorem word, in UTF-8, with its space),
    /// up to 10 words a sentence, 6 sentences a paragraph; 256 bytes for
    /// an uncounted family.
    pub fn max_bytes(self, count: usize) -> u64 {
        const WORD: u64 = 64;
        let c = count as u64;
        match self {
            Family::Words | Family::Sentence => c.saturating_mul(WORD),
            Family::Sentences | Family::Paragraph => c.saturating_mul(10 * WORD + 1),
            Family::Paragraphs => c.saturating_mul(6 * (10 * WORD + 1) + 2),
            Family::Password => c.saturating_mul(4),
            Family::Latitude | Family::Longitude => 32,
            _ => 256,
        }
    }

    /// Coordinates are numbers; everything else is text.
    pub fn is_numeric(self) -> bool {
        matches!(self, Family::Latitude | Family::Longitude)
    }
}

/// One value of a numeric family.
pub fn number(family: Family, rng: &mut SeedRng) -> f64 {
    use fake::faker::address::raw::{Latitude, Longitude};
    use fake::locales::EN;
    match family {
        Family::Longitude => Longitude(EN).fake_with_rng(rng),
        _ => Latitude(EN).fake_with_rng(rng),
    }
}

/// One value of a text family. `count` is the inclusive count range of
/// counted families (ignored by the others).
pub fn text(family: Family, locale: Locale, count: (usize, usize), rng: &mut SeedRng) -> String {
    use fake::locales::*;
    let c = count;
    match locale {
        Locale::En => text_in(family, EN, c, rng),
        Locale::FrFr => text_in(family, FR_FR, c, rng),
        Locale::DeDe => text_in(family, DE_DE, c, rng),
        Locale::ItIt => text_in(family, IT_IT, c, rng),
        Locale::PtBr => text_in(family, PT_BR, c, rng),
        Locale::PtPt => text_in(family, PT_PT, c, rng),
        Locale::NlNl => text_in(family, NL_NL, c, rng),
        Locale::ZhCn => text_in(family, ZH_CN, c, rng),
        Locale::ZhTw => text_in(family, ZH_TW, c, rng),
        Locale::JaJp => text_in(family, JA_JP, c, rng),
        Locale::ArSa => text_in(family, AR_SA, c, rng),
        Locale::CyGb => text_in(family, CY_GB, c, rng),
        Locale::TrTr => text_in(family, TR_TR, c, rng),
        Locale::FaIr => text_in(family, FA_IR, c, rng),
    }
}

fn text_in<L: Data + Copy + CityNameGenFn>(
    family: Family,
    l: L,
    count: (usize, usize),
    rng: &mut SeedRng,
) -> String {
    let c = count.0..count.1 + 1;
    use fake::faker::address::raw as ad;
    use fake::faker::barcode::raw as bc;
    use fake::faker::company::raw as co;
    use fake::faker::creditcard::raw as cc;
    use fake::faker::currency::raw as cu;
    use fake::faker::filesystem::raw as fs;
    use fake::faker::finance::raw as fi;
    use fake::faker::internet::raw as it;
    use fake::faker::job::raw as jo;
    use fake::faker::lorem::raw as lo;
    use fake::faker::name::raw as na;
    use fake::faker::phone_number::raw as ph;
    match family {
        Family::FirstName => na::FirstName(l).fake_with_rng(rng),
        Family::LastName => na::LastName(l).fake_with_rng(rng),
        Family::FullName => super::fast::full_name::<L>(rng),
        Family::NameWithTitle => na::NameWithTitle(l).fake_with_rng(rng),
        Family::PersonTitle => na::Title(l).fake_with_rng(rng),
        Family::NameSuffix => na::Suffix(l).fake_with_rng(rng),
        Family::Email => super::fast::email::<L>(rng),
        Family::SafeEmail => it::SafeEmail(l).fake_with_rng(rng),
        Family::Username => it::Username(l).fake_with_rng(rng),
        Family::Password => it::Password(l, c).fake_with_rng(rng),
        Family::FreeEmailProvider => it::FreeEmailProvider(l).fake_with_rng(rng),
        Family::DomainSuffix => it::DomainSuffix(l).fake_with_rng(rng),
        Family::Ipv4 => it::IPv4(l).fake_with_rng(rng),
        Family::Ipv6 => it::IPv6(l).fake_with_rng(rng),
        Family::Ip => it::IP(l).fake_with_rng(rng),
        Family::MacAddress => it::MACAddress(l).fake_with_rng(rng),
        Family::UserAgent => it::UserAgent(l).fake_with_rng(rng),
        Family::CompanyName => co::CompanyName(l).fake_with_rng(rng),
        Family::CompanySuffix => co::CompanySuffix(l).fake_with_rng(rng),
        Family::CatchPhrase => co::CatchPhrase(l).fake_with_rng(rng),
        Family::Buzzword => co::Buzzword(l).fake_with_rng(rng),
        Family::Bs => co::Bs(l).fake_with_rng(rng),
        Family::Profession => co::Profession(l).fake_with_rng(rng),
        Family::Industry => co::Industry(l).fake_with_rng(rng),
        Family::StreetName => ad::StreetName(l).fake_with_rng(rng),
        Family::StreetAddress => {
            let number: String = ad::BuildingNumber(l).fake_with_rng(rng);
            let street: String = ad::StreetName(l).fake_with_rng(rng);
            format!("{number} {street}")
        }
        Family::BuildingNumber => ad::BuildingNumber(l).fake_with_rng(rng),
        Family::SecondaryAddress => ad::SecondaryAddress(l).fake_with_rng(rng),
        Family::City => ad::CityName(l).fake_with_rng(rng),
        Family::State => ad::StateName(l).fake_with_rng(rng),
        Family::StateAbbr => ad::StateAbbr(l).fake_with_rng(rng),
        Family::ZipCode => ad::ZipCode(l).fake_with_rng(rng),
        Family::PostCode => ad::PostCode(l).fake_with_rng(rng),
        Family::Country => ad::CountryName(l).fake_with_rng(rng),
        Family::CountryCode => ad::CountryCode(l).fake_with_rng(rng),
        Family::TimeZone => ad::TimeZone(l).fake_with_rng(rng),
        Family::Latitude => ad::Latitude(l).fake_with_rng(rng),
        Family::Longitude => ad::Longitude(l).fake_with_rng(rng),
        Family::PhoneNumber => ph::PhoneNumber(l).fake_with_rng(rng),
        Family::CellNumber => ph::CellNumber(l).fake_with_rng(rng),
        Family::Word => lo::Word(l).fake_with_rng(rng),
        Family::Words => super::fast::words::<L>(count, rng),
        Family::Sentence => super::fast::sentence::<L>(count, rng),
        Family::Sentences => super::fast::sentences::<L>(count, " ", rng),
        Family::Paragraph => super::fast::sentences::<L>(count, " ", rng),
        Family::Paragraphs => paragraphs::<L>(count, rng),
        Family::JobTitle => jo::Title(l).fake_with_rng(rng),
        Family::JobPosition => jo::Position(l).fake_with_rng(rng),
        Family::JobField => jo::Field(l).fake_with_rng(rng),
        Family::JobSeniority => jo::Seniority(l).fake_with_rng(rng),
        Family::CreditCardNumber => cc::CreditCardNumber(l).fake_with_rng(rng),
        Family::CurrencyCode => cu::CurrencyCode(l).fake_with_rng(rng),
        Family::CurrencyName => cu::CurrencyName(l).fake_with_rng(rng),
        Family::CurrencySymbol => cu::CurrencySymbol(l).fake_with_rng(rng),
        Family::Bic => fi::Bic(l).fake_with_rng(rng),
        Family::Isin => fi::Isin(l).fake_with_rng(rng),
        Family::FileName => fs::FileName(l).fake_with_rng(rng),
        Family::FilePath => fs::FilePath(l).fake_with_rng(rng),
        Family::FileExtension => fs::FileExtension(l).fake_with_rng(rng),
        Family::DirPath => fs::DirPath(l).fake_with_rng(rng),
        Family::MimeType => fs::MimeType(l).fake_with_rng(rng),
        Family::Semver => fs::Semver(l).fake_with_rng(rng),
        Family::Isbn => bc::Isbn(l).fake_with_rng(rng),
        Family::Isbn13 => bc::Isbn13(l).fake_with_rng(rng),
    }
}

/// Paragraphs of 3..=6 sentences, separated by a blank line.
fn paragraphs<L: Data>(count: (usize, usize), rng: &mut SeedRng) -> String {
    let n = rng.random_range(count.0..=count.1);
    let parts: Vec<String> = (0..n)
        .map(|_| super::fast::sentences::<L>((3, 6), " ", rng))
        .collect();
    parts.join("\n\n")
}
