//! Leaderboard pseudonyms such as "Bystry Żubr 42": drawn at random when a learner joins and
//! stored, so they are stable but say nothing about who is behind them (not derived from the
//! user id or name, so they cannot be traced back even by someone who knows the algorithm).

use rand::seq::SliceRandom;
use rand::Rng;

const ADJECTIVES: [&str; 12] = [
    "Bystry",
    "Cichy",
    "Dzielny",
    "Mądry",
    "Pogodny",
    "Spokojny",
    "Szybki",
    "Uważny",
    "Wytrwały",
    "Zielony",
    "Złoty",
    "Życzliwy",
];

const ANIMALS: [&str; 14] = [
    "Bóbr", "Borsuk", "Dzik", "Jeż", "Kruk", "Lis", "Łoś", "Orzeł", "Puchacz", "Rys", "Sokół",
    "Wilk", "Zając", "Żubr",
];

/// A fresh pseudonym: adjective, animal and a number. The store retries when one is already
/// taken in the course, passing the attempt: the number has two digits at first (about 15,000
/// names) and more on later attempts, so a course with a hundred thousand members in its ranking
/// still finds free names quickly.
pub fn generate(attempt: u32) -> String {
    let mut rng = rand::thread_rng();
    let digits = 2 + attempt / 4;
    let low = 10u64.pow(digits.min(9) - 1);
    format!(
        "{} {} {}",
        ADJECTIVES.choose(&mut rng).expect("not empty"),
        ANIMALS.choose(&mut rng).expect("not empty"),
        rng.gen_range(low..low * 10)
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn pseudonyms_have_three_parts_and_vary() {
        let all: std::collections::HashSet<String> = (0..50).map(|_| super::generate(0)).collect();
        assert!(all.len() > 10, "{all:?}");
        for p in &all {
            assert_eq!(p.split(' ').count(), 3, "{p}");
            assert_eq!(p.rsplit(' ').next().unwrap().len(), 2, "{p}");
        }
        // Later attempts draw from a larger space.
        let late = super::generate(12);
        assert_eq!(late.rsplit(' ').next().unwrap().len(), 5, "{late}");
    }
}
