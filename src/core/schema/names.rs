//! Avro names: validation and full-name construction, as Java's `Schema.Name` does them.

/// Why a name is not valid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameError {
    Empty,
    BadStart(char),
    BadChar(char),
}

impl NameError {
    pub fn describe(self, name: &str) -> String {
        let shown = shorten(name);
        match self {
            NameError::Empty => "name is empty".to_string(),
            NameError::BadStart(c) => {
                format!("`{shown}` starts with {}, but a name must start with a letter or `_`", show_char(c))
            }
            NameError::BadChar(c) => {
                format!("`{shown}` contains {}, but a name may only hold letters, digits and `_`", show_char(c))
            }
        }
    }
}

fn show_char(c: char) -> String {
    if c.is_control() || c.is_whitespace() {
        format!("{:?}", c)
    } else {
        format!("`{c}`")
    }
}

/// Shortens a possibly huge name for a message.
pub fn shorten(name: &str) -> String {
    if name.chars().count() > 80 {
        let head: String = name.chars().take(60).collect();
        format!("{head}… ({} characters)", name.chars().count())
    } else {
        name.to_string()
    }
}

/// Java (1.12, default validator) accepts Unicode letters and digits, checked per UTF-16 unit,
/// so characters outside the Basic Multilingual Plane are rejected.
fn is_letter(c: char) -> bool {
    (c as u32) <= 0xFFFF && c.is_alphabetic()
}

fn is_letter_or_digit(c: char) -> bool {
    (c as u32) <= 0xFFFF && (c.is_alphabetic() || c.is_numeric())
}

/// Validates one unqualified name (no dots).
pub fn validate_name(name: &str) -> Result<(), NameError> {
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return Err(NameError::Empty);
    };
    if !(is_letter(first) || first == '_') {
        return Err(NameError::BadStart(first));
    }
    for c in chars {
        if !(is_letter_or_digit(c) || c == '_') {
            return Err(NameError::BadChar(c));
        }
    }
    Ok(())
}

/// True when the name is within the specification's `[A-Za-z_][A-Za-z0-9_]*`.
pub fn is_ascii_name(name: &str) -> bool {
    name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// A name split the way Java's `Name(name, space)` splits it: a dotted name carries its own
/// namespace; the empty namespace is the null namespace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FullName {
    pub name: String,
    pub namespace: Option<String>,
}

impl FullName {
    pub fn new(name: &str, enclosing: Option<&str>) -> Self {
        let (space, simple) = match name.rfind('.') {
            Some(i) => (Some(&name[..i]), &name[i + 1..]),
            None => (enclosing, name),
        };
        FullName { name: simple.to_string(), namespace: space.filter(|s| !s.is_empty()).map(str::to_string) }
    }
    pub fn full(&self) -> String {
        match &self.namespace {
            Some(ns) => format!("{ns}.{}", self.name),
            None => self.name.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_java() {
        assert!(validate_name("User_1").is_ok());
        assert!(validate_name("_x").is_ok());
        assert!(validate_name("Café").is_ok());
        assert_eq!(validate_name(""), Err(NameError::Empty));
        assert_eq!(validate_name("1abc"), Err(NameError::BadStart('1')));
        assert_eq!(validate_name("a-b"), Err(NameError::BadChar('-')));
        assert_eq!(validate_name("a b"), Err(NameError::BadChar(' ')));
        assert_eq!(validate_name("😀"), Err(NameError::BadStart('😀')));
        assert!(!is_ascii_name("Café"));
        assert!(is_ascii_name("Cafe_2"));
    }

    #[test]
    fn full_names_split_like_java() {
        assert_eq!(FullName::new("a.b.C", Some("x")).full(), "a.b.C");
        assert_eq!(FullName::new("C", Some("x.y")).full(), "x.y.C");
        assert_eq!(FullName::new("C", None).full(), "C");
        assert_eq!(FullName::new("C", Some("")).namespace, None);
        assert_eq!(FullName::new(".C", Some("x")), FullName { name: "C".into(), namespace: None });
        assert_eq!(FullName::new("a.", None).name, "");
    }
}
