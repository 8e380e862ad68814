//! `szpon capa grade` in miniature, for diffing against Open edX's oracle
//! (`shared/capa/oracle/oracle.py`): JSON lines in, JSON lines out.
//! With `--choices`, prints each input's display-order choices instead of grading; with
//! `--xml`, the annotated XML.

use std::io::BufRead;

use xblock_compat::capa::{grade_json_line, Problem};

fn main() {
    let choices = std::env::args().any(|a| a == "--choices");
    let xml = std::env::args().any(|a| a == "--xml");
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        if line.trim().is_empty() {
            continue;
        }
        if !choices && !xml {
            println!("{}", grade_json_line(&line));
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(&line).unwrap_or_default();
        let seed = v["seed"].as_u64().unwrap_or(1);
        let pid = v["problem_id"].as_str().unwrap_or("1");
        match Problem::parse(v["xml"].as_str().unwrap_or(""), pid, seed) {
            Ok(p) if xml => println!("{}", p.annotated_xml()),
            Ok(p) => {
                let m: serde_json::Map<String, serde_json::Value> = p
                    .inputs()
                    .iter()
                    .map(|i| (i.id.clone(), serde_json::json!(i.choices)))
                    .collect();
                println!("{}", serde_json::Value::Object(m));
            }
            Err(e) => println!("{{\"error\": \"{}\"}}", e.python_name()),
        }
    }
}
