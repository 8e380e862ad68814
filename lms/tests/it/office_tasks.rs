//! Office tasks, to-do items and notifications through the real handlers, on both databases:
//! creating, assigning and delegating with history, due dates, checklists, comments and who is
//! told, attachments, recurrence (the next occurrence exactly once, also under a race),
//! reminders once only, the email outbox, private to-do items, the views, and offices kept apart.

use diesel::prelude::*;
use office_plugin::schema::{office_notifications, office_task_history, office_tasks};
use office_plugin::tasks::store;
use platform::access::Role;
use platform::db::schema::users;
use platform::models::organisation;
use platform::web::AppState;

use crate::both_backends;
use crate::helpers::*;

const PASSWORD: &str = "hasło testowe 1";

both_backends!(
    create_assign_delegate_with_history,
    due_changes_have_history,
    checklist_items_are_assigned,
    comments_tell_everyone_but_the_author,
    attachments_upload_and_download,
    recurrence_creates_the_next_occurrence_once,
    reminders_are_sent_once,
    email_outbox_follows_settings,
    todo_items_are_private,
    views_list_the_right_tasks,
    notifications_list_and_mark_read,
    other_offices_see_nothing,
    every_page_speaks_both_languages,
    overview_shows_what_needs_attention,
);

struct World {
    st: AppState,
    _db: TestDb,
    a: String,
    dept1: String,
    dept2: String,
    anna: String,
    bartek: String,
    celina: String,
    daria: String,
    obcy: String,
}

/// Office A (departments 1 and 2) with Anna and Bartek in department 1, Celina in department 2,
/// Daria without a department; office B with its official "obcy".
fn world(backend: Backend) -> World {
    let db = TestDb::new(backend);
    let st = state(&db, &[]);
    let mut conn = st.db.get().unwrap();
    let a = organisation::create(&mut conn, "urzad-a", "Urząd A", "municipality").unwrap();
    let b = organisation::create(&mut conn, "urzad-b", "Urząd B", "municipality").unwrap();
    let dept1 = organisation::create_department(&mut conn, &a.id, "Dział Pierwszy")
        .unwrap()
        .id;
    let dept2 = organisation::create_department(&mut conn, &a.id, "Dział Drugi")
        .unwrap()
        .id;
    drop(conn);
    let mut ids = Vec::new();
    for (email, name, org, dept) in [
        ("anna@a.pl", "Anna Nowak", &a.id, Some(&dept1)),
        ("bartek@a.pl", "Bartek Wiśniewski", &a.id, Some(&dept1)),
        ("celina@a.pl", "Celina Zając", &a.id, Some(&dept2)),
        ("daria@a.pl", "Daria Lis", &a.id, None),
        ("obcy@b.pl", "Obcy Urzędnik", &b.id, None),
    ] {
        let id = make_user(&st, email, name, PASSWORD, false);
        let mut conn = st.db.get().unwrap();
        organisation::grant_role(&mut conn, org, &id, Role::Official).unwrap();
        if let Some(d) = dept {
            organisation::set_department(&mut conn, org, &id, Some(d)).unwrap();
        }
        ids.push(id);
    }
    World {
        a: a.id,
        dept1,
        dept2,
        anna: ids[0].clone(),
        bartek: ids[1].clone(),
        celina: ids[2].clone(),
        daria: ids[3].clone(),
        obcy: ids[4].clone(),
        st,
        _db: db,
    }
}

async fn as_user<S, B>(c: &mut Client<S>, email: &str)
where
    S: actix_web::dev::Service<
        actix_http::Request,
        Response = actix_web::dev::ServiceResponse<B>,
        Error = actix_web::Error,
    >,
    B: actix_web::body::MessageBody,
{
    c.fresh_jar();
    c.login(email, PASSWORD).await.assert_status(303);
}

const TASKS: &str = "/biuro/urzad-a/zadania";

fn id_of(location: &str) -> String {
    location
        .rsplit('/')
        .next()
        .unwrap()
        .split('#')
        .next()
        .unwrap()
        .to_string()
}

/// Notices of one kind a person has for a task.
fn notices(st: &AppState, user: &str, kind: &str, task: &str) -> i64 {
    let mut conn = st.db.get().unwrap();
    office_notifications::table
        .filter(office_notifications::user_id.eq(user))
        .filter(office_notifications::kind.eq(kind))
        .filter(office_notifications::link.like(format!("%/{task}")))
        .count()
        .get_result(&mut conn)
        .unwrap()
}

fn history(st: &AppState, task: &str) -> Vec<(String, Option<String>, Option<String>, String)> {
    let mut conn = st.db.get().unwrap();
    office_task_history::table
        .filter(office_task_history::task_id.eq(task))
        .order(office_task_history::created_at.asc())
        .select((
            office_task_history::kind,
            office_task_history::old_value,
            office_task_history::new_value,
            office_task_history::note,
        ))
        .load(&mut conn)
        .unwrap()
}

async fn create_assign_delegate_with_history(b: Backend) {
    let w = world(b);
    let mut c = Client::new(spawn_app(w.st.clone()).await);
    as_user(&mut c, "anna@a.pl").await;
    c.get(&format!("{TASKS}/nowe"))
        .await
        .assert_status(200)
        .assert_contains("Bartek Wiśniewski")
        .assert_contains("dział Dział Pierwszy");
    // A task needs a title; the form comes back with the error and what was typed.
    let r = c
        .post(TASKS, &[("title", " "), ("description", "Opis zostaje")])
        .await;
    r.assert_status(422)
        .assert_contains("Podaj tytuł zadania")
        .assert_contains("Opis zostaje");
    // An assignee of another office is refused.
    let foreign = format!("u:{}", w.obcy);
    c.post(TASKS, &[("title", "Cudze"), ("assignee", &foreign)])
        .await
        .assert_status(422);
    let to_bartek = format!("u:{}", w.bartek);
    let r = c
        .post(
            TASKS,
            &[
                ("title", "Przygotować odpowiedź na pismo"),
                ("description", "Pismo z 3 listopada."),
                ("assignee", &to_bartek),
                ("priority", "high"),
                ("due_date", "2030-01-10"),
                ("due_time", "10:00"),
            ],
        )
        .await;
    r.assert_status(303);
    let id = id_of(r.location());
    assert_eq!(notices(&w.st, &w.bartek, "assigned", &id), 1);
    assert_eq!(notices(&w.st, &w.anna, "assigned", &id), 0);

    // Bartek delegates it to Celina with a note.
    as_user(&mut c, "bartek@a.pl").await;
    let to_celina = format!("u:{}", w.celina);
    c.post(
        &format!("{TASKS}/{id}/przekaz"),
        &[
            ("assignee", &to_celina),
            ("note", "Proszę przejąć, jestem na urlopie"),
        ],
    )
    .await
    .assert_status(303);
    let h = history(&w.st, &id);
    let kinds: Vec<&str> = h.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(kinds, ["created", "assigned", "delegated"]);
    assert_eq!(h[2].1.as_deref(), Some(to_bartek.as_str()));
    assert_eq!(h[2].2.as_deref(), Some(to_celina.as_str()));
    assert_eq!(h[2].3, "Proszę przejąć, jestem na urlopie");
    assert_eq!(notices(&w.st, &w.celina, "delegated", &id), 1);
    assert_eq!(notices(&w.st, &w.anna, "delegated", &id), 1);
    assert_eq!(notices(&w.st, &w.bartek, "delegated", &id), 0);
    {
        let mut conn = w.st.db.get().unwrap();
        let (assignee, by): (Option<String>, Option<String>) = office_tasks::table
            .find(&id)
            .select((office_tasks::assignee_user_id, office_tasks::delegated_by))
            .first(&mut conn)
            .unwrap();
        assert_eq!(assignee.as_deref(), Some(w.celina.as_str()));
        assert_eq!(by.as_deref(), Some(w.bartek.as_str()));
    }
    // The history reads in words, with the note.
    let page = c.get(&format!("{TASKS}/{id}")).await;
    page.assert_status(200)
        .assert_contains(
            "Bartek Wiśniewski przekazał(a) zadanie od: Bartek Wiśniewski, do: Celina Zając.",
        )
        .assert_contains("Proszę przejąć, jestem na urlopie")
        .assert_contains("Anna Nowak utworzył(a) zadanie.");
    // Delegating to nobody is an error on the same page.
    c.post(&format!("{TASKS}/{id}/przekaz"), &[("assignee", "")])
        .await
        .assert_status(422)
        .assert_contains("Wybierz osobę lub dział tego urzędu");

    // Daria is not involved: she reads and comments, but may not change or delegate it.
    as_user(&mut c, "daria@a.pl").await;
    c.get(&format!("{TASKS}/{id}")).await.assert_status(200);
    c.post(&format!("{TASKS}/{id}/status"), &[("status", "done")])
        .await
        .assert_status(403);
    c.post(
        &format!("{TASKS}/{id}/przekaz"),
        &[("assignee", &to_celina)],
    )
    .await
    .assert_status(403);
    c.get(&format!("{TASKS}/{id}/edycja"))
        .await
        .assert_status(403);
    c.post(
        &format!("{TASKS}/{id}/komentarze"),
        &[("body", "Mogę pomóc.")],
    )
    .await
    .assert_status(303);
    // Delegated to a department: its officials may change it.
    as_user(&mut c, "celina@a.pl").await;
    let to_dept2 = format!("d:{}", w.dept2);
    c.post(&format!("{TASKS}/{id}/przekaz"), &[("assignee", &to_dept2)])
        .await
        .assert_status(303);
    as_user(&mut c, "celina@a.pl").await;
    c.post(
        &format!("{TASKS}/{id}/status"),
        &[("status", "in_progress")],
    )
    .await
    .assert_status(303);
    let h = history(&w.st, &id);
    assert_eq!(h.last().unwrap().0, "status");
    assert_eq!(h.last().unwrap().2.as_deref(), Some("in_progress"));
}

async fn due_changes_have_history(b: Backend) {
    let w = world(b);
    let mut c = Client::new(spawn_app(w.st.clone()).await);
    as_user(&mut c, "anna@a.pl").await;
    let r = c
        .post(
            TASKS,
            &[
                ("title", "Raport kwartalny"),
                ("due_date", "2030-03-01"),
                ("due_time", "10:00"),
            ],
        )
        .await;
    r.assert_status(303);
    let id = id_of(r.location());
    // A time without a date is refused.
    c.post(
        &format!("{TASKS}/{id}/edycja"),
        &[("title", "Raport kwartalny"), ("due_time", "10:00")],
    )
    .await
    .assert_status(422)
    .assert_contains("Godzina terminu wymaga daty");
    c.get(&format!("{TASKS}/{id}/edycja"))
        .await
        .assert_status(200)
        .assert_contains("value=\"2030-03-01\"")
        .assert_contains("value=\"10:00\"");
    c.post(
        &format!("{TASKS}/{id}/edycja"),
        &[
            ("title", "Raport kwartalny"),
            ("priority", "urgent"),
            ("due_date", "2030-03-05"),
        ],
    )
    .await
    .assert_status(303);
    let h = history(&w.st, &id);
    let due: Vec<_> = h.iter().filter(|r| r.0 == "due").collect();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].1.as_deref(), Some("2030-03-01 10:00"));
    assert_eq!(due[0].2.as_deref(), Some("2030-03-05"));
    assert!(h.iter().any(|r| r.0 == "priority"));
    // Saving again without changes adds no history.
    c.post(
        &format!("{TASKS}/{id}/edycja"),
        &[
            ("title", "Raport kwartalny"),
            ("priority", "urgent"),
            ("due_date", "2030-03-05"),
        ],
    )
    .await
    .assert_status(303);
    assert_eq!(history(&w.st, &id).len(), h.len());
    c.get(&format!("{TASKS}/{id}"))
        .await
        .assert_contains("zmienił(a) termin z 2030-03-01 10:00 na 2030-03-05")
        .assert_contains("pilny");
}

async fn checklist_items_are_assigned(b: Backend) {
    let w = world(b);
    let mut c = Client::new(spawn_app(w.st.clone()).await);
    as_user(&mut c, "anna@a.pl").await;
    let r = c.post(TASKS, &[("title", "Inwentaryzacja")]).await;
    let id = id_of(r.location());
    c.post(&format!("{TASKS}/{id}/lista"), &[("text", "")])
        .await
        .assert_status(422);
    let r = c
        .post(
            &format!("{TASKS}/{id}/lista"),
            &[("text", "Policzyć krzesła"), ("assignee", &w.bartek)],
        )
        .await;
    r.assert_status(303);
    c.post(&format!("{TASKS}/{id}/lista"), &[("text", "Spisać biurka")])
        .await
        .assert_status(303);
    assert_eq!(notices(&w.st, &w.bartek, "assigned", &id), 1);
    let items = {
        let mut conn = w.st.db.get().unwrap();
        store::checklist(&mut conn, &id).unwrap()
    };
    assert_eq!(items.len(), 2);
    assert_eq!(
        items[0].assignee_user_id.as_deref(),
        Some(w.bartek.as_str())
    );
    // Bartek ticks his own item though he may not edit the task; Daria may not tick.
    as_user(&mut c, "bartek@a.pl").await;
    let item = format!("{TASKS}/{id}/lista/{}", items[0].id);
    c.post(&item, &[("action", "done")])
        .await
        .assert_status(303);
    c.post(
        &format!("{TASKS}/{id}/lista/{}", items[1].id),
        &[("action", "done")],
    )
    .await
    .assert_status(403);
    as_user(&mut c, "daria@a.pl").await;
    c.post(&item, &[("action", "undone")])
        .await
        .assert_status(403);
    // Anna assigns the second item to Celina.
    as_user(&mut c, "anna@a.pl").await;
    c.post(
        &format!("{TASKS}/{id}/lista/{}", items[1].id),
        &[("action", "assign"), ("assignee", &w.celina)],
    )
    .await
    .assert_status(303);
    assert_eq!(notices(&w.st, &w.celina, "assigned", &id), 1);
    let items = {
        let mut conn = w.st.db.get().unwrap();
        store::checklist(&mut conn, &id).unwrap()
    };
    assert!(items[0].done);
    assert_eq!(
        items[1].assignee_user_id.as_deref(),
        Some(w.celina.as_str())
    );
    c.get(&format!("{TASKS}/{id}"))
        .await
        .assert_contains("Bartek Wiśniewski oznaczył(a) jako zrobione: „Policzyć krzesła”")
        .assert_contains("przydzielił(a) punkt „Spisać biurka”: Celina Zając");
}

async fn comments_tell_everyone_but_the_author(b: Backend) {
    let w = world(b);
    let mut c = Client::new(spawn_app(w.st.clone()).await);
    as_user(&mut c, "anna@a.pl").await;
    let to_bartek = format!("u:{}", w.bartek);
    let r = c
        .post(TASKS, &[("title", "Uchwała"), ("assignee", &to_bartek)])
        .await;
    let id = id_of(r.location());
    as_user(&mut c, "celina@a.pl").await;
    c.post(&format!("{TASKS}/{id}/obserwujacy"), &[("action", "add")])
        .await
        .assert_status(303);
    as_user(&mut c, "daria@a.pl").await;
    c.post(&format!("{TASKS}/{id}/komentarze"), &[("body", "  ")])
        .await
        .assert_status(422)
        .assert_contains("Wpisz treść komentarza");
    c.post(
        &format!("{TASKS}/{id}/komentarze"),
        &[("body", "Projekt gotowy?")],
    )
    .await
    .assert_status(303);
    for (who, n) in [(&w.bartek, 1), (&w.celina, 1), (&w.anna, 1), (&w.daria, 0)] {
        assert_eq!(
            notices(&w.st, who, "comment", &id),
            n,
            "comment notices of {who}"
        );
    }
    // The assignee comments: the creator and the watcher are told, not the assignee.
    as_user(&mut c, "bartek@a.pl").await;
    c.post(
        &format!("{TASKS}/{id}/komentarze"),
        &[("body", "Tak, w załączniku.")],
    )
    .await
    .assert_status(303);
    assert_eq!(notices(&w.st, &w.bartek, "comment", &id), 1);
    assert_eq!(notices(&w.st, &w.celina, "comment", &id), 2);
    assert_eq!(notices(&w.st, &w.anna, "comment", &id), 2);
    // A watcher who leaves is not told any more; only the creator may remove others.
    as_user(&mut c, "bartek@a.pl").await;
    c.post(
        &format!("{TASKS}/{id}/obserwujacy"),
        &[("action", "remove"), ("user", &w.celina)],
    )
    .await
    .assert_status(403);
    as_user(&mut c, "celina@a.pl").await;
    c.post(
        &format!("{TASKS}/{id}/obserwujacy"),
        &[("action", "remove")],
    )
    .await
    .assert_status(303);
    as_user(&mut c, "anna@a.pl").await;
    c.post(
        &format!("{TASKS}/{id}/obserwujacy"),
        &[("action", "add"), ("user", &w.daria)],
    )
    .await
    .assert_status(303);
    c.post(
        &format!("{TASKS}/{id}/komentarze"),
        &[("body", "Dziękuję.")],
    )
    .await
    .assert_status(303);
    assert_eq!(notices(&w.st, &w.celina, "comment", &id), 2);
    assert_eq!(notices(&w.st, &w.daria, "comment", &id), 1);
    assert_eq!(notices(&w.st, &w.bartek, "comment", &id), 2);
    let page = c.get(&format!("{TASKS}/{id}")).await;
    page.assert_contains("Projekt gotowy?")
        .assert_contains("Tak, w załączniku.")
        .assert_contains("Daria Lis");
}

async fn attachments_upload_and_download(b: Backend) {
    let w = world(b);
    let mut c = Client::new(spawn_app(w.st.clone()).await);
    as_user(&mut c, "anna@a.pl").await;
    let r = c.post(TASKS, &[("title", "Umowa")]).await;
    let id = id_of(r.location());
    let up = format!("{TASKS}/{id}/zalaczniki");
    let bytes = "Treść umowy zażółć".as_bytes();
    let r = c
        .post_file(&up, "file", "umowa końcowa.txt", "text/plain", bytes)
        .await;
    r.assert_status(303);
    let atts = {
        let mut conn = w.st.db.get().unwrap();
        store::attachments(&mut conn, &id).unwrap()
    };
    assert_eq!(atts.len(), 1);
    assert_eq!(atts[0].name, "umowa końcowa.txt");
    assert_eq!(atts[0].size, bytes.len() as i64);
    let url = format!("{up}/{}", atts[0].id);
    let d = c.get(&url).await;
    d.assert_status(200);
    assert_eq!(d.bytes, bytes);
    let cd = d
        .headers
        .get("content-disposition")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(cd.starts_with("attachment"), "{cd}");
    assert!(
        cd.contains("filename*=UTF-8''umowa%20ko%C5%84cowa.txt"),
        "{cd}"
    );
    c.get(&format!("{TASKS}/{id}"))
        .await
        .assert_contains("umowa końcowa.txt");
    // Too large: 413 with a clear message; nothing stored.
    let big = vec![b'x'; office_plugin::tasks::pages::MAX_ATTACHMENT + 1];
    let r = c
        .post_file(&up, "file", "duzy.bin", "application/octet-stream", &big)
        .await;
    r.assert_status(413)
        .assert_contains("Plik jest za duży: załącznik może mieć najwyżej 10 MB.");
    // No file: 422.
    let r = c
        .post_file(&up, "file", "", "application/octet-stream", b"")
        .await;
    r.assert_status(422)
        .assert_contains("Wybierz plik do dołączenia");
    {
        let mut conn = w.st.db.get().unwrap();
        assert_eq!(store::attachments(&mut conn, &id).unwrap().len(), 1);
    }
    // Another office's official: 403 under office A's address, 404 under their own.
    as_user(&mut c, "obcy@b.pl").await;
    c.get(&url).await.assert_status(403);
    c.get(&url.replace("urzad-a", "urzad-b"))
        .await
        .assert_status(404);
    c.post_file(
        &up.replace("urzad-a", "urzad-b"),
        "file",
        "x.txt",
        "text/plain",
        b"x",
    )
    .await
    .assert_status(404);
    c.post_file(&up, "file", "x.txt", "text/plain", b"x")
        .await
        .assert_status(403);
    // An attachment id of another task of the same office is not found.
    as_user(&mut c, "anna@a.pl").await;
    let r = c.post(TASKS, &[("title", "Inne")]).await;
    let other = id_of(r.location());
    c.get(&format!("{TASKS}/{other}/zalaczniki/{}", atts[0].id))
        .await
        .assert_status(404);
}

async fn recurrence_creates_the_next_occurrence_once(b: Backend) {
    let w = world(b);
    let mut c = Client::new(spawn_app(w.st.clone()).await);
    as_user(&mut c, "anna@a.pl").await;
    c.post(
        TASKS,
        &[
            ("title", "Bez terminu"),
            ("repeat", "weekly"),
            ("interval", "1"),
        ],
    )
    .await
    .assert_status(422)
    .assert_contains("Zadanie powtarzane musi mieć termin");
    let r = c
        .post(
            TASKS,
            &[
                ("title", "Kopia zapasowa"),
                ("due_date", "2030-01-07"),
                ("due_time", "09:00"),
                ("repeat", "weekly"),
                ("interval", "2"),
                ("assignee", &format!("u:{}", w.bartek)),
            ],
        )
        .await;
    r.assert_status(303);
    let id = id_of(r.location());
    let series = |st: &AppState| -> Vec<(String, Option<chrono::NaiveDateTime>, String)> {
        let mut conn = st.db.get().unwrap();
        office_tasks::table
            .filter(office_tasks::series_id.eq(&id))
            .order(office_tasks::due_at.asc())
            .select((office_tasks::id, office_tasks::due_at, office_tasks::status))
            .load(&mut conn)
            .unwrap()
    };
    assert_eq!(series(&w.st).len(), 1);
    c.get(&format!("{TASKS}/{id}"))
        .await
        .assert_contains("co 2 tygodnie");
    // Closing twice, then reopening and closing again: one next occurrence.
    for s in ["done", "done", "in_progress", "cancelled"] {
        c.post(&format!("{TASKS}/{id}/status"), &[("status", s)])
            .await
            .assert_status(303);
    }
    let s = series(&w.st);
    assert_eq!(s.len(), 2, "{s:?}");
    let next = &s[1];
    assert_eq!(
        next.1,
        office_plugin::page::utc_from_local("2030-01-21", "09:00")
    );
    assert_eq!(next.2, "new");
    assert_eq!(notices(&w.st, &w.bartek, "assigned", &next.0), 1);

    // Two people close the next occurrence at the same moment: still one more.
    let org = {
        let mut conn = w.st.db.get().unwrap();
        organisation::find_by_id(&mut conn, &w.a).unwrap().unwrap()
    };
    let mut threads = Vec::new();
    for who in [
        w.anna.clone(),
        w.bartek.clone(),
        w.anna.clone(),
        w.bartek.clone(),
    ] {
        let (st, org, task_id) = (w.st.clone(), org.clone(), next.0.clone());
        threads.push(std::thread::spawn(move || {
            let mut conn = st.db.get().unwrap();
            let actor = store::Actor {
                id: who,
                name: "X".into(),
            };
            platform::db::write_transaction(&mut conn, |c| {
                let task = store::find(c, &org.id, &task_id)?.unwrap();
                store::set_status(c, &org, &task, &actor, "done")
            })
            .unwrap()
        }));
    }
    let changed = threads
        .into_iter()
        .map(|t| t.join().unwrap())
        .filter(|c| *c)
        .count();
    assert_eq!(changed, 1);
    let s = series(&w.st);
    assert_eq!(s.len(), 3, "{s:?}");
    assert_eq!(
        s[2].1,
        office_plugin::page::utc_from_local("2030-02-04", "09:00")
    );
    // Asking for the next occurrence of the same one again creates nothing.
    let mut conn = w.st.db.get().unwrap();
    let task = store::find(&mut conn, &w.a, &next.0).unwrap().unwrap();
    let actor = store::Actor {
        id: w.anna.clone(),
        name: "Anna".into(),
    };
    assert_eq!(
        store::next_occurrence(&mut conn, &org, &task, &actor).unwrap(),
        None
    );
}

async fn reminders_are_sent_once(b: Backend) {
    let w = world(b);
    let mut c = Client::new(spawn_app(w.st.clone()).await);
    as_user(&mut c, "anna@a.pl").await;
    let mk = |title: &'static str, assignee: String| (title, assignee);
    let mut ids = Vec::new();
    for (title, a) in [
        mk("Jutro", format!("u:{}", w.bartek)),
        mk("Zaległe", format!("d:{}", w.dept1)),
        mk("Zamknięte", format!("u:{}", w.bartek)),
        mk("Za tydzień", format!("u:{}", w.bartek)),
    ] {
        let r = c.post(TASKS, &[("title", title), ("assignee", &a)]).await;
        r.assert_status(303);
        ids.push(id_of(r.location()));
    }
    let now = platform::models::now();
    let local_now = office_plugin::page::local(now);
    let tomorrow = (local_now.date_naive() + chrono::Days::new(1)).to_string();
    let week = (local_now.date_naive() + chrono::Days::new(7)).to_string();
    {
        let mut conn = w.st.db.get().unwrap();
        let set = |conn: &mut platform::db::DbConn,
                   id: &str,
                   due: chrono::NaiveDateTime,
                   status: &str| {
            diesel::update(office_tasks::table.find(id))
                .set((
                    office_tasks::due_at.eq(Some(due)),
                    office_tasks::status.eq(status),
                ))
                .execute(conn)
                .unwrap();
        };
        set(
            &mut conn,
            &ids[0],
            store::due_from_form(&tomorrow, "12:00").unwrap(),
            "new",
        );
        set(
            &mut conn,
            &ids[1],
            now - chrono::Duration::hours(2),
            "in_progress",
        );
        set(&mut conn, &ids[2], now - chrono::Duration::hours(2), "done");
        set(
            &mut conn,
            &ids[3],
            store::due_from_form(&week, "").unwrap(),
            "new",
        );
    }
    let run = |st: &AppState| {
        let mut conn = st.db.get().unwrap();
        platform::db::write_transaction(&mut conn, |c| store::remind(c, now)).unwrap()
    };
    // Bartek: due tomorrow; Anna and Bartek (department 1): overdue.
    assert_eq!(run(&w.st), 3);
    assert_eq!(run(&w.st), 0);
    assert_eq!(notices(&w.st, &w.bartek, "due_tomorrow", &ids[0]), 1);
    assert_eq!(notices(&w.st, &w.bartek, "overdue", &ids[1]), 1);
    assert_eq!(notices(&w.st, &w.anna, "overdue", &ids[1]), 1);
    assert_eq!(notices(&w.st, &w.celina, "overdue", &ids[1]), 0);
    assert_eq!(notices(&w.st, &w.bartek, "overdue", &ids[2]), 0);
    assert_eq!(notices(&w.st, &w.bartek, "due_tomorrow", &ids[3]), 0);
    // A new due date is a new reminder.
    {
        let mut conn = w.st.db.get().unwrap();
        diesel::update(office_tasks::table.find(&ids[1]))
            .set(office_tasks::due_at.eq(Some(now - chrono::Duration::hours(1))))
            .execute(&mut conn)
            .unwrap();
    }
    assert_eq!(run(&w.st), 2);
    assert_eq!(notices(&w.st, &w.anna, "overdue", &ids[1]), 2);
}

fn outbox(st: &AppState) -> Vec<String> {
    let dir = st.config.outbox_dir();
    let Ok(rd) = std::fs::read_dir(&dir) else {
        return vec![];
    };
    rd.map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect()
}

async fn email_outbox_follows_settings(b: Backend) {
    let w = world(b);
    {
        let mut conn = w.st.db.get().unwrap();
        diesel::update(users::table.find(&w.bartek))
            .set(users::language.eq(Some("en")))
            .execute(&mut conn)
            .unwrap();
    }
    let mut c = Client::new(spawn_app(w.st.clone()).await);
    // Celina wants assignments in the app only.
    as_user(&mut c, "celina@a.pl").await;
    c.get("/biuro/powiadomienia/ustawienia")
        .await
        .assert_status(200)
        .assert_contains("<caption>");
    let mut fields = vec![];
    let kinds = office_plugin::notifications::Kind::ALL.map(|k| k.as_str());
    let names: Vec<String> = kinds
        .iter()
        .flat_map(|k| [format!("app-{k}"), format!("email-{k}")])
        .filter(|n| n != "email-assigned")
        .collect();
    for n in &names {
        fields.push((n.as_str(), "yes"));
    }
    c.post("/biuro/powiadomienia/ustawienia", &fields)
        .await
        .assert_status(303);
    {
        let mut conn = w.st.db.get().unwrap();
        let p = office_plugin::notifications::preference(
            &mut conn,
            &w.celina,
            office_plugin::notifications::Kind::Assigned,
        )
        .unwrap();
        assert_eq!(p, (true, false));
    }
    as_user(&mut c, "anna@a.pl").await;
    for (title, who) in [("Dla Bartka", &w.bartek), ("Dla Celiny", &w.celina)] {
        c.post(
            TASKS,
            &[("title", title), ("assignee", &format!("u:{who}"))],
        )
        .await
        .assert_status(303);
    }
    office_plugin::notifications::send_pending(&w.st);
    let mails = outbox(&w.st);
    let to_bartek: Vec<&String> = mails.iter().filter(|m| m.contains("bartek@a.pl")).collect();
    assert_eq!(to_bartek.len(), 1, "{mails:?}");
    assert!(
        to_bartek[0].contains("A task was assigned to you"),
        "{}",
        to_bartek[0]
    );
    assert!(to_bartek[0].contains("Dla Bartka"));
    assert!(to_bartek[0].contains("http://localhost:8080/biuro/urzad-a/zadania/"));
    assert!(
        !mails.iter().any(|m| m.contains("celina@a.pl")),
        "{mails:?}"
    );
    // Sent rows are marked; running again sends nothing new.
    assert_eq!(office_plugin::notifications::send_pending(&w.st), 0);
    assert_eq!(outbox(&w.st).len(), mails.len());
    let mut conn = w.st.db.get().unwrap();
    let pending: i64 = office_notifications::table
        .filter(office_notifications::email_pending.eq(true))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(pending, 0);
    drop(conn);
    // A mail that cannot be sent stays pending and goes out on a later run.
    let set_email = |email: &str| {
        let mut conn = w.st.db.get().unwrap();
        diesel::update(users::table.find(&w.bartek))
            .set(users::email.eq(email))
            .execute(&mut conn)
            .unwrap();
    };
    set_email("to nie jest adres");
    c.post(
        TASKS,
        &[
            ("title", "Drugie dla Bartka"),
            ("assignee", &format!("u:{}", w.bartek)),
        ],
    )
    .await
    .assert_status(303);
    assert_eq!(office_plugin::notifications::send_pending(&w.st), 0);
    let still = |st: &AppState| -> i64 {
        let mut conn = st.db.get().unwrap();
        office_notifications::table
            .filter(office_notifications::user_id.eq(&w.bartek))
            .filter(office_notifications::email_pending.eq(true))
            .filter(office_notifications::emailed_at.is_null())
            .count()
            .get_result(&mut conn)
            .unwrap()
    };
    assert_eq!(still(&w.st), 1);
    set_email("bartek@a.pl");
    office_plugin::notifications::send_pending(&w.st);
    assert_eq!(still(&w.st), 0);
    let mails = outbox(&w.st);
    assert!(
        mails.iter().any(|m| m.contains("Drugie dla Bartka")),
        "{mails:?}"
    );
    // Celina still sees it in the app.
    as_user(&mut c, "celina@a.pl").await;
    c.get("/biuro/powiadomienia")
        .await
        .assert_status(200)
        .assert_contains("Dla Celiny")
        .assert_contains("Przydzielono ci zadanie");
}

async fn todo_items_are_private(b: Backend) {
    let w = world(b);
    let mut c = Client::new(spawn_app(w.st.clone()).await);
    as_user(&mut c, "anna@a.pl").await;
    c.post("/biuro/notatki", &[("text", "")])
        .await
        .assert_status(422);
    c.post(
        "/biuro/notatki",
        &[("text", "Zadzwonić do ZUS"), ("due_on", "2030-13-01")],
    )
    .await
    .assert_status(422)
    .assert_contains("Podaj poprawną datę");
    for t in ["Pierwsza notatka", "Druga notatka", "Trzecia notatka"] {
        c.post("/biuro/notatki", &[("text", t)])
            .await
            .assert_status(303);
    }
    let mine = |st: &AppState| {
        let mut conn = st.db.get().unwrap();
        office_plugin::tasks::todo::items(&mut conn, &w.anna).unwrap()
    };
    let items = mine(&w.st);
    let ids: Vec<String> = items.iter().map(|t| t.id.clone()).collect();
    // Reorder: the third up, the first down.
    c.post(&format!("/biuro/notatki/{}", ids[2]), &[("action", "up")])
        .await
        .assert_status(303);
    c.post(&format!("/biuro/notatki/{}", ids[0]), &[("action", "down")])
        .await
        .assert_status(303);
    let texts: Vec<String> = mine(&w.st).into_iter().map(|t| t.text).collect();
    assert_eq!(
        texts,
        ["Trzecia notatka", "Pierwsza notatka", "Druga notatka"]
    );
    c.post(&format!("/biuro/notatki/{}", ids[1]), &[("action", "done")])
        .await
        .assert_status(303);
    c.post(
        &format!("/biuro/notatki/{}", ids[0]),
        &[
            ("action", "edit"),
            ("text", "Pierwsza, poprawiona"),
            ("due_on", "2030-05-05"),
        ],
    )
    .await
    .assert_status(303);
    let items = mine(&w.st);
    let first = items.iter().find(|t| t.id == ids[0]).unwrap();
    assert_eq!(first.text, "Pierwsza, poprawiona");
    assert_eq!(first.due_on.as_deref(), Some("2030-05-05"));
    assert!(items.iter().find(|t| t.id == ids[1]).unwrap().done);
    c.post(
        &format!("/biuro/notatki/{}", ids[1]),
        &[("action", "undone")],
    )
    .await
    .assert_status(303);
    assert!(!mine(&w.st).iter().find(|t| t.id == ids[1]).unwrap().done);
    c.get("/biuro/notatki")
        .await
        .assert_status(200)
        .assert_contains("Pierwsza, poprawiona");
    // Bartek sees none of it and can change none of it.
    as_user(&mut c, "bartek@a.pl").await;
    let page = c.get("/biuro/notatki").await;
    page.assert_status(200);
    assert!(!page.body.contains("Pierwsza"));
    for action in ["done", "undone", "up", "down", "delete"] {
        c.post(&format!("/biuro/notatki/{}", ids[0]), &[("action", action)])
            .await
            .assert_status(404);
    }
    c.post(
        &format!("/biuro/notatki/{}", ids[0]),
        &[("action", "edit"), ("text", "Przejęte")],
    )
    .await
    .assert_status(404);
    assert_eq!(mine(&w.st).len(), 3);
    // Anna deletes one.
    as_user(&mut c, "anna@a.pl").await;
    c.post(
        &format!("/biuro/notatki/{}", ids[2]),
        &[("action", "delete")],
    )
    .await
    .assert_status(303);
    assert_eq!(mine(&w.st).len(), 2);
    // Someone who works in no office may not use the notes.
    make_user(&w.st, "obywatel@x.pl", "Obywatel", PASSWORD, false);
    as_user(&mut c, "obywatel@x.pl").await;
    c.get("/biuro/notatki").await.assert_status(403);
}

async fn views_list_the_right_tasks(b: Backend) {
    let w = world(b);
    let mut c = Client::new(spawn_app(w.st.clone()).await);
    let make = |title: &'static str, assignee: String| (title, assignee);
    as_user(&mut c, "bartek@a.pl").await;
    let mut ids = std::collections::HashMap::new();
    for (title, a) in [
        make("T1 dla Anny", format!("u:{}", w.anna)),
        make("T4 zaległe Bartka", format!("u:{}", w.bartek)),
    ] {
        let r = c.post(TASKS, &[("title", title), ("assignee", &a)]).await;
        ids.insert(title, id_of(r.location()));
    }
    as_user(&mut c, "celina@a.pl").await;
    let r = c
        .post(
            TASKS,
            &[
                ("title", "T2 dla działu"),
                ("assignee", &format!("d:{}", w.dept1)),
            ],
        )
        .await;
    ids.insert("T2 dla działu", id_of(r.location()));
    let r = c
        .post(
            TASKS,
            &[
                ("title", "T6 dział drugi"),
                ("assignee", &format!("d:{}", w.dept2)),
            ],
        )
        .await;
    ids.insert("T6 dział drugi", id_of(r.location()));
    as_user(&mut c, "anna@a.pl").await;
    for (title, a) in [
        make("T3 zlecone Celinie", format!("u:{}", w.celina)),
        make("T5 zrobione", format!("u:{}", w.anna)),
    ] {
        let r = c.post(TASKS, &[("title", title), ("assignee", &a)]).await;
        ids.insert(title, id_of(r.location()));
    }
    c.post(
        &format!("{TASKS}/{}/status", ids["T5 zrobione"]),
        &[("status", "done")],
    )
    .await
    .assert_status(303);
    {
        let mut conn = w.st.db.get().unwrap();
        diesel::update(office_tasks::table.find(&ids["T4 zaległe Bartka"]))
            .set(office_tasks::due_at.eq(Some(platform::models::now() - chrono::Duration::days(1))))
            .execute(&mut conn)
            .unwrap();
    }
    let all = [
        "T1 dla Anny",
        "T2 dla działu",
        "T3 zlecone Celinie",
        "T4 zaległe Bartka",
        "T5 zrobione",
        "T6 dział drugi",
    ];
    let check = |body: &str, want: &[&str], what: &str| {
        for t in all {
            assert_eq!(body.contains(t), want.contains(&t), "{what}: {t}");
        }
    };
    let r = c.get(TASKS).await;
    r.assert_status(200);
    check(&r.body, &["T1 dla Anny", "T2 dla działu"], "mine");
    let r = c.get(&format!("{TASKS}?widok=moje&status=all")).await;
    check(
        &r.body,
        &["T1 dla Anny", "T2 dla działu", "T5 zrobione"],
        "mine, all",
    );
    let r = c.get(&format!("{TASKS}?widok=moje&status=done")).await;
    check(&r.body, &["T5 zrobione"], "mine, done");
    let r = c.get(&format!("{TASKS}?widok=zlecone")).await;
    check(&r.body, &["T3 zlecone Celinie"], "delegated");
    let r = c.get(&format!("{TASKS}?widok=zalegle")).await;
    check(&r.body, &["T4 zaległe Bartka"], "overdue");
    let r = c.get(&format!("{TASKS}?widok=dzial")).await;
    r.assert_status(200)
        .assert_contains("Tablica działu: Dział Pierwszy");
    check(
        &r.body,
        &[
            "T1 dla Anny",
            "T2 dla działu",
            "T4 zaległe Bartka",
            "T5 zrobione",
        ],
        "board 1",
    );
    let r = c
        .get(&format!("{TASKS}?widok=dzial&dzial={}", w.dept2))
        .await;
    check(
        &r.body,
        &["T3 zlecone Celinie", "T6 dział drugi"],
        "board 2",
    );
    let r = c.get(&format!("{TASKS}?widok=wszystkie&status=all")).await;
    check(&r.body, &all, "all");
    c.get(&format!("{TASKS}?widok=nic"))
        .await
        .assert_status(404);
    c.get(&format!("{TASKS}?status=zly"))
        .await
        .assert_status(400);
    // The board's status form returns to the board.
    let back = format!("{TASKS}?widok=dzial&status=all");
    let r = c
        .post(
            &format!("{TASKS}/{}/status", ids["T1 dla Anny"]),
            &[("status", "waiting"), ("back", &back)],
        )
        .await;
    r.assert_status(303);
    assert_eq!(r.location(), back);
    let r = c
        .post(
            &format!("{TASKS}/{}/status", ids["T1 dla Anny"]),
            &[("status", "in_progress"), ("back", "https://example.com/")],
        )
        .await;
    assert_eq!(r.location(), format!("{TASKS}/{}", ids["T1 dla Anny"]));
}

async fn notifications_list_and_mark_read(b: Backend) {
    let w = world(b);
    let mut c = Client::new(spawn_app(w.st.clone()).await);
    as_user(&mut c, "anna@a.pl").await;
    for t in ["Pierwsze", "Drugie"] {
        c.post(
            TASKS,
            &[("title", t), ("assignee", &format!("u:{}", w.bartek))],
        )
        .await
        .assert_status(303);
    }
    as_user(&mut c, "bartek@a.pl").await;
    let r = c.get("/biuro/powiadomienia").await;
    r.assert_status(200)
        .assert_contains("Masz 2 nieprzeczytane powiadomienia.")
        .assert_contains("Anna Nowak");
    let ids: Vec<String> = {
        let mut conn = w.st.db.get().unwrap();
        office_notifications::table
            .filter(office_notifications::user_id.eq(&w.bartek))
            .order(office_notifications::created_at.asc())
            .select(office_notifications::id)
            .load(&mut conn)
            .unwrap()
    };
    // Someone else's notice is not found.
    as_user(&mut c, "anna@a.pl").await;
    c.post(&format!("/biuro/powiadomienia/{}/przeczytane", ids[0]), &[])
        .await
        .assert_status(404);
    as_user(&mut c, "bartek@a.pl").await;
    c.post(&format!("/biuro/powiadomienia/{}/przeczytane", ids[0]), &[])
        .await
        .assert_status(303);
    let r = c.get("/biuro/powiadomienia").await;
    r.assert_contains("Masz 1 nieprzeczytane powiadomienie.");
    // Unread first.
    let unread_at = r.body.find("Drugie").unwrap();
    let read_at = r.body.find("Pierwsze").unwrap();
    assert!(unread_at < read_at);
    // Opening the task reads its notice.
    let link: String = {
        let mut conn = w.st.db.get().unwrap();
        office_notifications::table
            .find(&ids[1])
            .select(office_notifications::link)
            .first(&mut conn)
            .unwrap()
    };
    c.get(&link).await.assert_status(200);
    c.get("/biuro/powiadomienia")
        .await
        .assert_contains("Nie masz nieprzeczytanych powiadomień.");
    as_user(&mut c, "anna@a.pl").await;
    c.post(
        TASKS,
        &[
            ("title", "Trzecie"),
            ("assignee", &format!("u:{}", w.bartek)),
        ],
    )
    .await
    .assert_status(303);
    as_user(&mut c, "bartek@a.pl").await;
    c.get("/biuro/powiadomienia")
        .await
        .assert_contains("Masz 1 nieprzeczytane powiadomienie.");
    c.post("/biuro/powiadomienia/przeczytane", &[])
        .await
        .assert_status(303);
    c.get("/biuro/powiadomienia")
        .await
        .assert_contains("Nie masz nieprzeczytanych powiadomień.");
}

async fn other_offices_see_nothing(b: Backend) {
    let w = world(b);
    let mut c = Client::new(spawn_app(w.st.clone()).await);
    as_user(&mut c, "anna@a.pl").await;
    let r = c.post(TASKS, &[("title", "Tajne zadanie A")]).await;
    let id = id_of(r.location());
    c.post(&format!("{TASKS}/{id}/lista"), &[("text", "Punkt")])
        .await
        .assert_status(303);
    let item = {
        let mut conn = w.st.db.get().unwrap();
        store::checklist(&mut conn, &id).unwrap()[0].id.clone()
    };
    let gets = |base: &str| {
        vec![
            base.to_string(),
            format!("{base}?widok=dzial"),
            format!("{base}/nowe"),
            format!("{base}/{id}"),
            format!("{base}/{id}/edycja"),
            format!("{base}/{id}/zalaczniki/x"),
        ]
    };
    let posts = |base: &str| {
        vec![
            (format!("{base}/{id}/edycja"), vec![("title", "Przejęte")]),
            (format!("{base}/{id}/status"), vec![("status", "done")]),
            (format!("{base}/{id}/przekaz"), vec![("assignee", "")]),
            (format!("{base}/{id}/lista"), vec![("text", "Obcy punkt")]),
            (
                format!("{base}/{id}/lista/{item}"),
                vec![("action", "done")],
            ),
            (format!("{base}/{id}/komentarze"), vec![("body", "Obcy")]),
            (format!("{base}/{id}/obserwujacy"), vec![("action", "add")]),
        ]
    };
    as_user(&mut c, "obcy@b.pl").await;
    // Office A's address: 403 on every route.
    for g in gets(TASKS) {
        c.get(&g).await.assert_status(403);
    }
    c.post(TASKS, &[("title", "Do A")]).await.assert_status(403);
    for (p, f) in posts(TASKS) {
        c.post(&p, &f).await.assert_status(403);
    }
    // Office A's task under office B's address: 404 on every task route.
    let b_tasks = "/biuro/urzad-b/zadania";
    c.get(b_tasks).await.assert_status(200);
    for g in gets(b_tasks).into_iter().skip(3) {
        c.get(&g).await.assert_status(404);
    }
    for (p, f) in posts(b_tasks) {
        c.post(&p, &f).await.assert_status(404);
    }
    // A checklist item of one task under another task of the same office is not found.
    as_user(&mut c, "anna@a.pl").await;
    let r = c.post(TASKS, &[("title", "Drugie zadanie A")]).await;
    let second = id_of(r.location());
    c.post(
        &format!("{TASKS}/{second}/lista/{item}"),
        &[("action", "done")],
    )
    .await
    .assert_status(404);
    as_user(&mut c, "obcy@b.pl").await;
    // Nothing changed, and office B's lists do not show it.
    let r = c
        .get(&format!("{b_tasks}?widok=wszystkie&status=all"))
        .await;
    assert!(!r.body.contains("Tajne zadanie A"));
    let h = history(&w.st, &id);
    assert_eq!(
        h.iter().map(|r| r.0.as_str()).collect::<Vec<_>>(),
        ["created", "checklist_added"]
    );
    // An unknown office is 404.
    c.get("/biuro/nie-ma-takiego/zadania")
        .await
        .assert_status(404);
    let _ = (&w.daria, &w.dept2);
}

async fn every_page_speaks_both_languages(b: Backend) {
    let w = world(b);
    let mut c = Client::new(spawn_app(w.st.clone()).await);
    as_user(&mut c, "anna@a.pl").await;
    let r = c
        .post(
            TASKS,
            &[
                ("title", "Zadanie wielojęzyczne"),
                ("assignee", &format!("d:{}", w.dept1)),
                ("due_date", "2030-06-01"),
                ("repeat", "monthly"),
                ("interval", "3"),
            ],
        )
        .await;
    let id = id_of(r.location());
    let task = format!("{TASKS}/{id}");
    c.post(
        &format!("{task}/lista"),
        &[("text", "Punkt"), ("assignee", &w.bartek)],
    )
    .await
    .assert_status(303);
    c.post(
        &format!("{task}/przekaz"),
        &[("assignee", &format!("u:{}", w.celina)), ("note", "N")],
    )
    .await
    .assert_status(303);
    c.post(&format!("{task}/status"), &[("status", "waiting")])
        .await
        .assert_status(303);
    c.post(
        "/biuro/notatki",
        &[("text", "Notatka"), ("due_on", "2030-01-01")],
    )
    .await
    .assert_status(303);
    let pages = [
        TASKS.to_string(),
        format!("{TASKS}?widok=dzial"),
        format!("{TASKS}?widok=zlecone"),
        format!("{TASKS}/nowe"),
        task.clone(),
        format!("{task}/edycja"),
        "/biuro/notatki".to_string(),
        "/biuro/powiadomienia".to_string(),
        "/biuro/powiadomienia/ustawienia".to_string(),
    ];
    for (lang, words) in [("pl", "co 3 miesiące"), ("en", "every 3 months")] {
        {
            let mut conn = w.st.db.get().unwrap();
            diesel::update(users::table.find(&w.anna))
                .set(users::language.eq(Some(lang)))
                .execute(&mut conn)
                .unwrap();
        }
        as_user(&mut c, "anna@a.pl").await;
        for p in &pages {
            let r = c.get(p).await;
            r.assert_status(200);
            assert!(
                r.body.contains(&format!("lang=\"{lang}\"")),
                "{p} in {lang}"
            );
            for raw in ["tasks-", "notification-", "office-nav-"] {
                assert!(
                    !r.body.contains(raw),
                    "{p} in {lang} shows a message id {raw}..."
                );
            }
        }
        c.get(&task).await.assert_contains(words);
    }
    c.get(&task)
        .await
        .assert_contains(
            "Anna Nowak delegated the task from department Dział Pierwszy to Celina Zając.",
        )
        .assert_contains("changed the status from “new” to “waiting”");
}

/// The office's start page counts the person's open and overdue tasks (their own and their
/// department's, not others') and lists their next week; another office's official gets 403.
async fn overview_shows_what_needs_attention(b: Backend) {
    let w = world(b);
    let mut c = Client::new(spawn_app(w.st.clone()).await);
    as_user(&mut c, "anna@a.pl").await;
    let soon = (chrono::Utc::now() + chrono::Duration::days(2))
        .format("%Y-%m-%d")
        .to_string();
    let late = (chrono::Utc::now() - chrono::Duration::days(2))
        .format("%Y-%m-%d")
        .to_string();
    for (title, assignee, due) in [
        (
            "Odpowiedź na skargę",
            format!("u:{}", w.bartek),
            late.as_str(),
        ),
        (
            "Plan urlopów działu",
            format!("d:{}", w.dept1),
            soon.as_str(),
        ),
        ("Zadanie Celiny", format!("u:{}", w.celina), soon.as_str()),
    ] {
        c.post(
            TASKS,
            &[
                ("title", title),
                ("assignee", &assignee),
                ("priority", "normal"),
                ("due_date", due),
                ("due_time", "10:00"),
            ],
        )
        .await
        .assert_status(303);
    }
    as_user(&mut c, "bartek@a.pl").await;
    let page = c.get("/biuro/urzad-a").await;
    page.assert_status(200)
        .assert_contains("2 otwarte zadania dla Ciebie lub Twojego wydziału")
        .assert_contains("1 zadanie po terminie")
        .assert_contains("Plan urlopów działu");
    let text = &page.body;
    assert!(!text.contains("Zadanie Celiny"), "{text}");
    assert!(
        !text.contains(">Odpowiedź na skargę<"),
        "an overdue task is not in the next week"
    );
    as_user(&mut c, "daria@a.pl").await;
    c.get("/biuro/urzad-a")
        .await
        .assert_status(200)
        .assert_contains("0 otwartych zadań")
        .assert_contains("Żadne zadanie nie jest po terminie.");
    as_user(&mut c, "obcy@b.pl").await;
    c.get("/biuro/urzad-a").await.assert_status(403);
}
