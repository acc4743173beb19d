//! The generator a column gets when the profile names only a row count:
//! first by the column's name (`email` → emails, `*_at` → timestamps),
//! then by its type. A name-based choice is kept only when the column's
//! type can hold what it produces (an `integer` column named `phone` gets
//! integers).

use super::fake::{Family, Locale};
use super::spec::{default_date, default_timestamp};
use super::{Gen, Own};
use crate::copy::Value;
use crate::seed::coltype::ColType;

/// The default generator for a column, or `None` when neither its name
/// nor its type suggests one.
pub fn for_column(name: &str, ty: &ColType, locale: Locale) -> Option<Gen> {
    by_name(&name.to_ascii_lowercase(), ty, locale)
        .filter(|g| ty.accepts(&g.kind()))
        .or_else(|| for_type(ty))
}

fn fam(family: Family, locale: Locale) -> Gen {
    let count = family.default_count().unwrap_or((1, 1));
    Gen::Fake {
        family,
        locale,
        count,
    }
}

fn by_name(n: &str, ty: &ColType, locale: Locale) -> Option<Gen> {
    let f = |family| Some(fam(family, locale));
    let is_text = matches!(ty, ColType::Text { .. });
    match n {
        "email" | "email_address" => return f(Family::Email),
        "first_name" | "firstname" | "given_name" => return f(Family::FirstName),
        "last_name" | "lastname" | "surname" | "family_name" => return f(Family::LastName),
        "name" | "full_name" | "fullname" | "display_name" | "contact_name" => {
            return f(Family::FullName)
        }
        "username" | "user_name" | "login" | "handle" => return f(Family::Username),
        "password" | "password_hash" => return f(Family::Password),
        "company" | "company_name" | "organization_name" | "organisation_name" => {
            return f(Family::CompanyName)
        }
        "city" | "town" => return f(Family::City),
        "country" | "country_name" => return f(Family::Country),
        "country_code" => return f(Family::CountryCode),
        "state" | "region" | "province" if is_text => return f(Family::State),
        "zip" | "zip_code" | "zipcode" | "postal_code" | "postcode" => return f(Family::ZipCode),
        "address" | "street" | "street_address" | "address_line1" | "address1" => {
            return f(Family::StreetAddress)
        }
        "phone" | "phone_number" | "mobile" | "telephone" | "cell" => {
            return f(Family::PhoneNumber)
        }
        "url" | "website" | "homepage" | "link" | "avatar_url" | "image_url" => {
            return Some(Gen::Own(Own::Url))
        }
        "domain" | "domain_name" | "hostname" => return Some(Gen::Own(Own::DomainName)),
        "slug" => return Some(Gen::Own(Own::Slug)),
        "color" | "colour" => return Some(Gen::Own(Own::Color)),
        "ip" | "ip_address" | "ipv4" | "last_ip" => return f(Family::Ipv4),
        "ipv6" => return f(Family::Ipv6),
        "mac" | "mac_address" => return f(Family::MacAddress),
        "user_agent" => return f(Family::UserAgent),
        "job_title" | "position" => return f(Family::JobTitle),
        "title" | "subject" | "headline" => return f(Family::Sentence),
        "description" | "bio" | "about" | "summary" | "body" | "content" | "notes" | "note"
        | "comment" => return f(Family::Paragraph),
        "industry" => return f(Family::Industry),
        "currency" | "currency_code" => return f(Family::CurrencyCode),
        "file_name" | "filename" => return f(Family::FileName),
        "file_path" | "path" => return f(Family::FilePath),
        "mime_type" | "content_type" => return f(Family::MimeType),
        "latitude" | "lat" => return f(Family::Latitude),
        "longitude" | "lon" | "lng" => return f(Family::Longitude),
        "timezone" | "time_zone" | "tz" => return f(Family::TimeZone),
        "credit_card" | "credit_card_number" | "card_number" => return f(Family::CreditCardNumber),
        "version" => return f(Family::Semver),
        "age" => return Some(Gen::UniformInt { lo: 18, hi: 90 }),
        "birth_date" | "birthdate" | "date_of_birth" | "dob" | "birthday" => {
            return Some(birth_dates())
        }
        _ => {}
    }
    if n.ends_with("_email") {
        return f(Family::Email);
    }
    if n.ends_with("_url") {
        return Some(Gen::Own(Own::Url));
    }
    if n.ends_with("_at") || n.ends_with("_on") || n.ends_with("_date") || n.ends_with("_time") {
        return match ty {
            ColType::Date => Some(default_date()),
            _ => Some(default_timestamp()),
        };
    }
    None
}

fn birth_dates() -> Gen {
    let from = chrono::NaiveDate::from_ymd_opt(1950, 1, 1).unwrap_or_default();
    let to = chrono::NaiveDate::from_ymd_opt(2006, 12, 31).unwrap_or_default();
    Gen::Date {
        from,
        days: (to - from).num_days(),
    }
}

/// The default generator for a type alone.
pub fn for_type(ty: &ColType) -> Option<Gen> {
    let en = Locale::En;
    Some(match ty {
        ColType::Text { max: Some(n) } if *n < 12 => fam(Family::Word, en),
        ColType::Text { .. } => fam(Family::Sentence, en),
        ColType::Int { min, max } => {
            // From 0 up (or below a negative maximum), within the bounds a
            // domain's CHECKs may have narrowed.
            let lo = if *max < 0 {
                max.saturating_sub(1000).max(*min)
            } else {
                (*min).max(0)
            };
            Gen::UniformInt {
                lo,
                hi: (*max).min(lo.saturating_add(1000)),
            }
        }
        ColType::Range { subtype, multi } => super::ranges::for_range(subtype, *multi)?,
        ColType::Numeric { precision, scale } => {
            let digits = precision.unwrap_or(10) as i32 - scale.unwrap_or(0) as i32;
            let hi = 10f64.powi(digits.clamp(0, 4)) - 1.0;
            Gen::UniformFloat {
                lo: 0.0,
                hi: hi.max(0.0),
            }
        }
        ColType::Float => Gen::UniformFloat {
            lo: 0.0,
            hi: 1000.0,
        },
        ColType::Bool => Gen::Bool { p: 0.5 },
        ColType::Uuid => Gen::Uuid,
        ColType::Date => default_date(),
        ColType::Time => Gen::Time,
        ColType::Timestamp | ColType::TimestampTz => default_timestamp(),
        ColType::Json => Gen::Json(vec![
            ("word".into(), fam(Family::Word, en), 0.0),
            ("score".into(), Gen::UniformInt { lo: 0, hi: 100 }, 0.0),
        ]),
        ColType::Bytes => Gen::Bytes { min: 8, max: 32 },
        ColType::Enum { name, labels } if !labels.is_empty() => Gen::Choice {
            values: labels
                .iter()
                .map(|l| Value::Text(l.clone()))
                .collect::<Vec<_>>()
                .into(),
            cumulative: None,
            label: format!("enum {name}"),
        },
        ColType::Array(elem) => Gen::Array {
            element: Box::new(for_type(elem)?),
            min: 0,
            max: 3,
        },
        ColType::Other(t) => match t.as_str() {
            "inet" | "cidr" => fam(Family::Ipv4, en),
            "macaddr" => fam(Family::MacAddress, en),
            "interval" => Gen::Template(vec![
                super::Part::Slot {
                    gen: Gen::UniformInt { lo: 1, hi: 720 },
                    filter: super::Filter::None,
                    source: "uniform".into(),
                },
                super::Part::Lit(" minutes".into()),
            ]),
            "money" => Gen::UniformFloat {
                lo: 0.0,
                hi: 1000.0,
            },
            _ => return None,
        },
        ColType::Enum { .. } => return None,
    })
}
