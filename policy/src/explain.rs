//! Explanations: the steps of a decision, each citing its article.
//!
//! An explanation is both what the resident is shown and the audit record of
//! the decision, so every step names the article it applied ("E5", "B3", as
//! cited in RULES.md) and says what it found in Simplified Chinese and English.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// "E5" = article 5 of the 参保缴费管理规定; "B3" = article 3 of the
    /// 待遇支付管理规定; "M21", "F16", "GB 11643" …
    pub article: String,
    pub zh: String,
    pub en: String,
}

/// Serialises as the bare array of steps.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Explanation(pub Vec<Step>);

impl Explanation {
    pub fn new() -> Explanation {
        Explanation(Vec::with_capacity(8))
    }

    pub fn push(&mut self, article: &str, zh: impl Into<String>, en: impl Into<String>) {
        self.0.push(Step {
            article: article.to_owned(),
            zh: zh.into(),
            en: en.into(),
        });
    }

    pub fn steps(&self) -> &[Step] {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The articles cited, in order, each once.
    pub fn articles(&self) -> Vec<&str> {
        let mut seen: Vec<&str> = Vec::new();
        for step in &self.0 {
            if !seen.contains(&step.article.as_str()) {
                seen.push(step.article.as_str());
            }
        }
        seen
    }

    pub fn cites(&self, article: &str) -> bool {
        self.0.iter().any(|s| s.article == article)
    }
}

/// An explanation being built, or skipped: with the trace off, [`step!`]
/// formats nothing and the decision carries an empty explanation.
pub(crate) struct Trace {
    on: bool,
    explanation: Explanation,
}

impl Trace {
    pub(crate) fn new(on: bool) -> Trace {
        Trace {
            on,
            explanation: if on {
                Explanation::new()
            } else {
                Explanation::default()
            },
        }
    }

    pub(crate) fn is_on(&self) -> bool {
        self.on
    }

    pub(crate) fn push(&mut self, article: &str, zh: impl Into<String>, en: impl Into<String>) {
        if self.on {
            self.explanation.push(article, zh, en);
        }
    }

    pub(crate) fn finish(self) -> Explanation {
        self.explanation
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_as_an_array_of_steps() {
        let mut e = Explanation::new();
        e.push("B3", "起付标准 300.00 元", "deductible 300.00 yuan");
        e.push("B4", "支付比例 0.60", "ratio 0.60");
        e.push("B3", "再次", "again");
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json[0]["article"], "B3");
        assert_eq!(json[1]["en"], "ratio 0.60");
        assert_eq!(e.articles(), vec!["B3", "B4"]);
        assert!(e.cites("B4"));
        assert!(!e.cites("B6"));
    }
}
