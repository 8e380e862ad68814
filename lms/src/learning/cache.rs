//! Published courses held in memory. A unit page must not rebuild the course tree from hundreds
//! of rows: the tree, its outline and parsed problems are loaded once per version and shared by
//! every worker. An entry is re-validated against the database at most every
//! [`REVALIDATE`], so a new import reaches every node within that time.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use platform::db::DbConn;
use platform::web::AppError;
use studio::store::{self, courses, CourseRow};
use studio::team::TeamRole;
use xblock_compat::grading::GradingPolicy;
use xblock_compat::olx::{Block, Course};

/// How long a cached course is trusted before its current version is checked again.
pub const REVALIDATE: Duration = Duration::from_secs(2);

/// A unit (vertical) in course order, with where it sits.
#[derive(Debug, Clone)]
pub struct UnitRef {
    pub idx: usize,
    pub chapter: usize,
    pub sequential: usize,
}

#[derive(Debug, Clone)]
pub struct SequentialRef {
    pub idx: usize,
    pub units: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct ChapterRef {
    pub idx: usize,
    pub sequentials: Vec<SequentialRef>,
}

/// (block index, seed, language code) of an untouched problem's rendering.
type FreshKey = (usize, u64, &'static str);

/// A course version ready to serve.
pub struct LoadedCourse {
    pub row: CourseRow,
    pub version_id: String,
    pub course: Course,
    pub organisation: Option<(String, String)>,
    pub chapters: Vec<ChapterRef>,
    /// Every unit in course order (the order of "previous" and "next").
    pub units: Vec<UnitRef>,
    unit_by_id: HashMap<String, usize>,
    by_key: HashMap<(String, String), usize>,
    pub grading_policy: GradingPolicy,
    /// Parsed problems per (block index, seed); problems are pure functions of both.
    pub problems: Mutex<HashMap<(usize, u64), Arc<xblock_compat::capa::Problem>>>,
    /// Whether the assets of this version exist, by path (for link rewriting).
    pub assets: HashMap<String, String>,
    /// Rendered learner-independent blocks (html, video) per (block index, language code):
    /// link rewriting and sanitising are the costliest part of a unit page otherwise.
    pub rendered: Mutex<HashMap<(usize, &'static str), Arc<str>>>,
    /// Problem bodies with no learner state, per (block index, seed, language), with their
    /// number of demand hints.
    fresh: Mutex<HashMap<FreshKey, (Arc<str>, usize)>>,
    /// The course team as (user id, role), re-read with every revalidation (`studio::team`).
    pub team: RwLock<Vec<(String, TeamRole)>>,
}

impl LoadedCourse {
    pub fn build(
        row: CourseRow,
        version_id: String,
        course: Course,
        organisation: Option<(String, String)>,
    ) -> LoadedCourse {
        let mut chapters = Vec::new();
        let mut units = Vec::new();
        let root = &course.blocks[course.root];
        for &ch in &root.children {
            if course.blocks[ch].block_type != "chapter" {
                continue;
            }
            let mut seqs = Vec::new();
            for &sq in &course.blocks[ch].children {
                if course.blocks[sq].block_type != "sequential" {
                    continue;
                }
                let mut us = Vec::new();
                for &u in &course.blocks[sq].children {
                    if course.blocks[u].block_type == "vertical" {
                        us.push(u);
                        units.push(UnitRef {
                            idx: u,
                            chapter: ch,
                            sequential: sq,
                        });
                    }
                }
                seqs.push(SequentialRef { idx: sq, units: us });
            }
            chapters.push(ChapterRef {
                idx: ch,
                sequentials: seqs,
            });
        }
        let unit_by_id = units
            .iter()
            .enumerate()
            .map(|(i, u)| (course.blocks[u.idx].id.clone(), i))
            .collect();
        let by_key = course
            .walk()
            .into_iter()
            .map(|i| {
                (
                    (
                        course.blocks[i].block_type.clone(),
                        course.blocks[i].id.clone(),
                    ),
                    i,
                )
            })
            .collect();
        let grading_policy = course
            .grading_policy
            .as_deref()
            .and_then(|t| GradingPolicy::from_json_str(t).ok())
            .unwrap_or_default();
        let assets = course
            .statics
            .iter()
            .map(|s| (s.path.clone(), s.sha256.clone()))
            .collect();
        LoadedCourse {
            row,
            version_id,
            course,
            organisation,
            chapters,
            units,
            unit_by_id,
            by_key,
            grading_policy,
            problems: Mutex::new(HashMap::new()),
            assets,
            rendered: Mutex::new(HashMap::new()),
            fresh: Mutex::new(HashMap::new()),
            team: RwLock::new(Vec::new()),
        }
    }

    pub fn key(&self) -> &str {
        &self.row.course_key
    }

    /// The issuing office's name, as certificates and badges state it ("SZPoN" for courses of
    /// no office).
    pub fn issuer_name(&self) -> &str {
        self.organisation
            .as_ref()
            .map_or("SZPoN", |(n, _)| n.as_str())
    }

    pub fn block(&self, idx: usize) -> &Block {
        &self.course.blocks[idx]
    }

    /// Position of a unit (by its id) in [`Self::units`].
    pub fn unit_position(&self, unit_id: &str) -> Option<usize> {
        self.unit_by_id.get(unit_id).copied()
    }

    pub fn find(&self, block_type: &str, id: &str) -> Option<usize> {
        self.by_key
            .get(&(block_type.to_string(), id.to_string()))
            .copied()
    }

    /// A block by id alone (jump_to_id links name no type); containers win over leaves.
    pub fn find_any(&self, id: &str) -> Option<usize> {
        self.course
            .walk()
            .into_iter()
            .find(|&i| self.course.blocks[i].id == id)
    }

    /// The unit containing a block, if any.
    pub fn unit_of(&self, mut idx: usize) -> Option<usize> {
        loop {
            let b = &self.course.blocks[idx];
            if b.block_type == "vertical" {
                return Some(idx);
            }
            idx = b.parent?;
        }
    }

    /// The first unit at or under a block (for links to chapters and subsections).
    pub fn first_unit_under(&self, idx: usize) -> Option<usize> {
        let b = &self.course.blocks[idx];
        if b.block_type == "vertical" {
            return Some(idx);
        }
        b.children.iter().find_map(|&c| self.first_unit_under(c))
    }

    pub fn display_name(&self, idx: usize) -> String {
        let b = &self.course.blocks[idx];
        b.display_name()
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| b.block_type.clone())
    }

    /// A learner-independent block's HTML, rendered once per language.
    pub fn rendered_block(
        &self,
        idx: usize,
        lang: &'static str,
        render: impl FnOnce() -> String,
    ) -> Arc<str> {
        if let Some(h) = self
            .rendered
            .lock()
            .expect("render cache")
            .get(&(idx, lang))
        {
            return h.clone();
        }
        let html: Arc<str> = render().into();
        self.rendered
            .lock()
            .expect("render cache")
            .insert((idx, lang), html.clone());
        html
    }

    /// A problem body without learner state, rendered once per variant and language.
    pub fn fresh_problem(
        &self,
        idx: usize,
        seed: u64,
        lang: &'static str,
        render: impl FnOnce() -> (String, usize),
    ) -> (Arc<str>, usize) {
        if let Some(h) = self
            .fresh
            .lock()
            .expect("render cache")
            .get(&(idx, seed, lang))
        {
            return h.clone();
        }
        let (html, n) = render();
        let v: (Arc<str>, usize) = (html.into(), n);
        let mut cache = self.fresh.lock().expect("render cache");
        if cache.len() > 20_000 {
            cache.clear();
        }
        cache.insert((idx, seed, lang), v.clone());
        v
    }

    /// The parsed problem of a block for a seed (cached; `Err` for XML Open edX would refuse).
    pub fn problem(
        &self,
        idx: usize,
        seed: u64,
    ) -> Result<Arc<xblock_compat::capa::Problem>, xblock_compat::capa::CapaError> {
        if let Some(p) = self
            .problems
            .lock()
            .expect("problem cache")
            .get(&(idx, seed))
        {
            return Ok(p.clone());
        }
        let block = &self.course.blocks[idx];
        let p = Arc::new(xblock_compat::capa::Problem::parse(
            &block.xml,
            &problem_id(block),
            seed,
        )?);
        let mut cache = self.problems.lock().expect("problem cache");
        // Rerandomised problems have up to 1000 seeds per block; bound the cache.
        if cache.len() > 20_000 {
            cache.clear();
        }
        cache.insert((idx, seed), p.clone());
        Ok(p)
    }
}

/// The id Open edX gives a problem's inputs: the block's location made safe for HTML ids. Open
/// edX uses `location.html_id()` (the block id with unsafe characters replaced by `_`).
pub fn problem_id(block: &Block) -> String {
    block
        .id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

struct Entry {
    course: Arc<LoadedCourse>,
    checked: Instant,
}

/// Courses by key.
#[derive(Default)]
pub struct CourseCache {
    entries: RwLock<HashMap<String, Entry>>,
}

impl CourseCache {
    /// The current published version of a course, from memory when fresh.
    pub async fn get(
        &self,
        db: &platform::db::Db,
        key: &str,
    ) -> Result<Option<Arc<LoadedCourse>>, AppError> {
        let cached = {
            let map = self.entries.read().expect("course cache");
            map.get(key)
                .map(|e| (e.course.clone(), e.checked.elapsed() < REVALIDATE))
        };
        if let Some((c, true)) = &cached {
            return Ok(Some(c.clone()));
        }
        let k = key.to_string();
        let known = cached.as_ref().map(|(c, _)| c.version_id.clone());
        let (loaded, team) = db
            .run(move |conn| load(conn, &k, known.as_deref()).map_err(AppError::from))
            .await?;
        let course = match loaded {
            Loaded::Missing => {
                self.entries.write().expect("course cache").remove(key);
                return Ok(None);
            }
            Loaded::Unchanged(row) => {
                let old = cached.expect("unchanged implies cached").0;
                if row.visibility == old.row.visibility
                    && row.organisation_id == old.row.organisation_id
                    && row.options == old.row.options
                {
                    old
                } else {
                    // Settings changed but not the content: rebuild the cheap parts.
                    Arc::new(LoadedCourse::build(
                        *row,
                        old.version_id.clone(),
                        old.course.clone(),
                        old.organisation.clone(),
                    ))
                }
            }
            Loaded::New(c) => Arc::new(*c),
        };
        *course.team.write().expect("course team") = team;
        self.entries.write().expect("course cache").insert(
            key.to_string(),
            Entry {
                course: course.clone(),
                checked: Instant::now(),
            },
        );
        Ok(Some(course))
    }
}

enum Loaded {
    Missing,
    Unchanged(Box<CourseRow>),
    New(Box<LoadedCourse>),
}

type Team = Vec<(String, TeamRole)>;

fn load(conn: &mut DbConn, key: &str, known_version: Option<&str>) -> QueryResult<(Loaded, Team)> {
    let Some(row) = store::find_by_key(conn, key)? else {
        return Ok((Loaded::Missing, vec![]));
    };
    let Some(version) = row.current_version_id.clone() else {
        return Ok((Loaded::Missing, vec![]));
    };
    let team = studio::team::members(conn, &row.id)?;
    if known_version == Some(version.as_str()) {
        return Ok((Loaded::Unchanged(Box::new(row)), team));
    }
    let course = store::load_version(conn, &version)?;
    let organisation = match &row.organisation_id {
        Some(id) => platform::models::organisation::find_by_id(conn, id)?.map(|o| (o.name, o.slug)),
        None => None,
    };
    Ok((
        Loaded::New(Box::new(LoadedCourse::build(
            row,
            version,
            course,
            organisation,
        ))),
        team,
    ))
}

/// Catalog rows: published courses with their organisation's (name, slug).
/// A catalog row: the course and its organisation's (name, slug).
pub type CatalogRow = (CourseRow, Option<(String, String)>);

pub fn catalog_rows(conn: &mut DbConn) -> QueryResult<Vec<CatalogRow>> {
    let rows: Vec<CourseRow> = courses::table
        .filter(courses::kind.eq("course"))
        .filter(courses::current_version_id.is_not_null())
        .order(courses::title.asc())
        .select(CourseRow::as_select())
        .load(conn)?;
    let orgs: HashMap<String, (String, String)> = platform::models::organisation::list(conn)?
        .into_iter()
        .map(|o| (o.id, (o.name, o.slug)))
        .collect();
    Ok(rows
        .into_iter()
        .map(|r| {
            let org = r
                .organisation_id
                .as_ref()
                .and_then(|id| orgs.get(id).cloned());
            (r, org)
        })
        .collect())
}
