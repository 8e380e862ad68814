//! Levels from a learner's total points across all courses. Names are Fluent ids
//! (`gam-level-N`), so they read in the visitor's language.

/// Points needed for each level, lowest first; level N needs `THRESHOLDS[N-1]`.
pub const THRESHOLDS: [i64; 6] = [0, 50, 150, 300, 600, 1000];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Level {
    /// 1-based.
    pub number: u32,
    /// Points where this level starts.
    pub floor: i64,
    /// Points where the next level starts; `None` at the top level.
    pub next: Option<i64>,
}

impl Level {
    /// Fluent id of the level's name.
    pub fn name_id(&self) -> String {
        format!("gam-level-{}", self.number)
    }

    /// Points still missing to the next level.
    pub fn to_next(&self, points: i64) -> Option<i64> {
        self.next.map(|n| (n - points).max(0))
    }

    /// Progress through this level as a whole percent (100 at the top level).
    pub fn percent(&self, points: i64) -> u32 {
        match self.next {
            Some(n) if n > self.floor => {
                (((points - self.floor).max(0) * 100) / (n - self.floor)).min(100) as u32
            }
            _ => 100,
        }
    }
}

/// The level for a total of points (negative totals count as zero).
pub fn level_for(points: i64) -> Level {
    let i = THRESHOLDS.iter().rposition(|&t| points >= t).unwrap_or(0);
    Level {
        number: i as u32 + 1,
        floor: THRESHOLDS[i],
        next: THRESHOLDS.get(i + 1).copied(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_and_remaining_points() {
        let l = level_for(0);
        assert_eq!((l.number, l.to_next(0), l.percent(0)), (1, Some(50), 0));
        let l = level_for(49);
        assert_eq!((l.number, l.to_next(49)), (1, Some(1)));
        let l = level_for(50);
        assert_eq!((l.number, l.to_next(50), l.percent(50)), (2, Some(100), 0));
        let l = level_for(100);
        assert_eq!(l.percent(100), 50);
        let l = level_for(5000);
        assert_eq!((l.number, l.to_next(5000), l.percent(5000)), (6, None, 100));
        assert_eq!(level_for(-5).number, 1);
        assert_eq!(level_for(1000).name_id(), "gam-level-6");
    }
}
