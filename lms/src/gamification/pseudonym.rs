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

/// A fresh pseudonym: adjective, animal and a number from 10 to 99 (about 15 000 choices; the
/// store retries when one is already taken in the course).
pub fn generate() -> String {
    let mut rng = rand::thread_rng();
    format!(
        "{} {} {}",
        ADJECTIVES.choose(&mut rng).expect("not empty"),
        ANIMALS.choose(&mut rng).expect("not empty"),
        rng.gen_range(10..100)
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn pseudonyms_have_three_parts_and_vary() {
        let all: std::collections::HashSet<String> = (0..50).map(|_| super::generate()).collect();
        assert!(all.len() > 10, "{all:?}");
        for p in &all {
            assert_eq!(p.split(' ').count(), 3, "{p}");
        }
    }
}
