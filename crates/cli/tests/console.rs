//! The staff console against the real binary and a SQLite store: an editor changes a phone
//! number with its source, the author cannot approve it, a reviewer does, and the public page
//! shows the new number at once, without a restart. Also: CSRF, the conflict between two
//! editors (nothing lost), a change that breaks a rule, and the browser suite's console flow
//! (`e2e/console.mjs`, with `MADOGUCHI_E2E=1`).

#![allow(clippy::unwrap_used)] // Tests fail loudly.

mod common;

use common::{Server, add_staff, path_str, scratch, set};

const EDITOR: (&str, &str) = ("ito", "editor-password-1");
const EDITOR2: (&str, &str) = ("oda", "editor-password-2");
const REVIEWER: (&str, &str) = ("ueda", "review-password-1");

fn accounts(database: &str) {
    add_staff(database, EDITOR.0, "editor", EDITOR.1);
    add_staff(database, EDITOR2.0, "editor", EDITOR2.1);
    add_staff(database, REVIEWER.0, "reviewer", REVIEWER.1);
}

const EDIT: &str = "/staff/windows/childline/edit";

#[test]
fn an_edit_is_proposed_approved_by_another_person_and_served_at_once() {
    let dir = scratch("console");
    let database = dir.join("m.db");
    let database = path_str(&database);
    accounts(database);
    let server = Server::start(database);
    assert!(
        server
            .get("/windows/childline", None)
            .body
            .contains("0120-99-7777")
    );

    let editor = server.login(EDITOR.0, EDITOR.1);
    let page = server.get(EDIT, Some(&editor));
    assert_eq!(page.status, 200);
    let mut form = page.form(EDIT);
    set(&mut form, "c0_value", "0120-99-7778");
    set(&mut form, "reason", "番号が変わった");

    // No source: refused, and what was typed is still there.
    let refused = server.post(EDIT, Some(&editor), &form);
    assert_eq!(refused.status, 400);
    assert!(
        refused.body.contains("a change needs its source"),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("value=\"0120-99-7778\""));
    assert!(refused.body.contains("番号が変わった"));

    // Without the session's CSRF token: forbidden.
    set(&mut form, "source_url", "https://childline.or.jp/");
    set(&mut form, "source_title", "チャイルドライン");
    let mut forged = form.clone();
    set(&mut forged, "csrf", "0000");
    assert_eq!(server.post(EDIT, Some(&editor), &forged).status, 403);

    let proposed = server.post(EDIT, Some(&editor), &form);
    assert_eq!(proposed.status, 303, "{}", proposed.body);
    let proposal = proposed.header("location").unwrap();
    let page = server.get(&proposal, Some(&editor));
    assert!(
        page.body
            .contains("<ins>+value = &#34;0120-99-7778&#34;</ins>")
            || page
                .body
                .contains("<ins>+value = &quot;0120-99-7778&quot;</ins>"),
        "{}",
        page.body
    );
    assert!(page.body.contains("自分の提案は承認できません"));
    // The author's own approval is refused even when forged.
    let mut approve = page.form(&format!("{proposal}/review"));
    set(&mut approve, "reason", "自分で確かめた");
    approve.push(("decision".into(), "approve".into()));
    let own = server.post(&format!("{proposal}/review"), Some(&editor), &approve);
    assert_eq!(own.status, 403);
    // Another editor may not approve either.
    let editor2 = server.login(EDITOR2.0, EDITOR2.1);
    let page = server.get(&proposal, Some(&editor2));
    assert!(page.body.contains("承認は確認者"));
    // The page has no approval form for them; their session's token, posted anyway.
    let mut by_editor = server.get("/staff", Some(&editor2)).form("/staff/logout");
    by_editor.push(("reason".into(), "見た".into()));
    by_editor.push(("decision".into(), "approve".into()));
    assert_eq!(
        server
            .post(&format!("{proposal}/review"), Some(&editor2), &by_editor)
            .status,
        403
    );
    assert!(
        server
            .get("/windows/childline", None)
            .body
            .contains("0120-99-7777")
    );

    let reviewer = server.login(REVIEWER.0, REVIEWER.1);
    let page = server.get(&proposal, Some(&reviewer));
    assert!(page.body.contains("承認して公開する"));
    let mut approve = page.form(&format!("{proposal}/review"));
    set(&mut approve, "reason", "出典を開いて番号を確かめた");
    approve.push(("decision".into(), "approve".into()));
    let approved = server.post(&format!("{proposal}/review"), Some(&reviewer), &approve);
    assert_eq!(approved.status, 303, "{}", approved.body);
    let public = server.get("/windows/childline", None).body;
    assert!(public.contains("0120-99-7778") && !public.contains("0120-99-7777"));
    // The JSON API serves the same version.
    assert!(
        server
            .get("/api/v1/windows/childline", None)
            .body
            .contains("0120-99-7778")
    );
    assert!(
        server
            .get(&proposal, Some(&reviewer))
            .body
            .contains("承認され、公開されました")
    );

    // The audit log has the proposal and its approval, and its chain holds.
    let audit = common::madoguchi(database).arg("audit").output().unwrap();
    let audit = String::from_utf8_lossy(&audit.stdout).into_owned();
    assert!(
        audit.contains("ito proposal.create proposal:1 window:childline"),
        "{audit}"
    );
    assert!(
        audit.contains("ueda proposal.approve proposal:1 window:childline version:2"),
        "{audit}"
    );
    assert!(
        common::madoguchi(database)
            .args(["audit", "--verify"])
            .output()
            .unwrap()
            .status
            .success()
    );

    // A restart serves the published version from the store.
    drop(server);
    let again = Server::start(database);
    assert!(
        again
            .get("/windows/childline", None)
            .body
            .contains("0120-99-7778")
    );
    drop(again);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn two_editors_on_one_window_conflict_and_nothing_is_lost() {
    let dir = scratch("conflict");
    let database = dir.join("m.db");
    let database = path_str(&database);
    accounts(database);
    let server = Server::start(database);
    let first = server.login(EDITOR.0, EDITOR.1);
    let second = server.login(EDITOR2.0, EDITOR2.1);
    // Both open the form on the same version.
    let mut form1 = server.get(EDIT, Some(&first)).form(EDIT);
    let mut form2 = server.get(EDIT, Some(&second)).form(EDIT);
    for (form, note, reason) in [
        (&mut form1, "一人目の注意書き", "一人目"),
        (&mut form2, "二人目の注意書き", "二人目"),
    ] {
        set(form, "c0_note", note);
        set(form, "source_url", "https://childline.or.jp/");
        set(form, "source_title", "チャイルドライン");
        set(form, "reason", reason);
    }
    let proposed = server.post(EDIT, Some(&first), &form1);
    assert_eq!(proposed.status, 303);
    let proposal = proposed.header("location").unwrap();
    let reviewer = server.login(REVIEWER.0, REVIEWER.1);
    let mut approve = server
        .get(&proposal, Some(&reviewer))
        .form(&format!("{proposal}/review"));
    set(&mut approve, "reason", "確かめた");
    approve.push(("decision".into(), "approve".into()));
    assert_eq!(
        server
            .post(&format!("{proposal}/review"), Some(&reviewer), &approve)
            .status,
        303
    );

    // The second editor sends a form opened before that publish: a conflict, the current
    // file in the form, and their own change shown beside it.
    let conflict = server.post(EDIT, Some(&second), &form2);
    assert_eq!(conflict.status, 409, "{}", conflict.body);
    assert!(
        conflict
            .body
            .contains("ほかの人がこの窓口を変えて公開しました")
    );
    assert!(
        conflict.body.contains("value=\"一人目の注意書き\""),
        "the form shows the live file"
    );
    assert!(
        conflict
            .body
            .contains("<ins>+note = &#34;二人目の注意書き&#34;</ins>")
            || conflict
                .body
                .contains("<ins>+note = &quot;二人目の注意書き&quot;</ins>"),
        "{}",
        conflict.body
    );
    assert!(conflict.body.contains("二人目"), "the reason is kept");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_change_that_breaks_a_rule_is_refused_with_the_rule() {
    let dir = scratch("rule");
    let database = dir.join("m.db");
    let database = path_str(&database);
    accounts(database);
    let server = Server::start(database);
    let editor = server.login(EDITOR.0, EDITOR.1);
    let mut form = server.get(EDIT, Some(&editor)).form(EDIT);
    set(&mut form, "c0_value", "0120-99");
    set(&mut form, "source_url", "https://childline.or.jp/");
    set(&mut form, "source_title", "チャイルドライン");
    set(&mut form, "reason", "試し");
    let refused = server.post(EDIT, Some(&editor), &form);
    assert_eq!(refused.status, 400);
    assert!(
        refused.body.contains("windows/childline.toml:"),
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("value=\"0120-99\""),
        "what was typed is kept"
    );
    assert!(
        server
            .get("/staff", Some(&editor))
            .body
            .contains("承認を待つ変更（0件）")
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn browser_suite_signs_in_edits_approves_and_sees_the_number() {
    let e2e = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../e2e");
    if std::env::var("MADOGUCHI_E2E").as_deref() != Ok("1") {
        println!(
            "console browser suite NOT run: set MADOGUCHI_E2E=1 (needs chromium, node and `npm ci` in e2e/)"
        );
        return;
    }
    assert!(
        e2e.join("node_modules").exists(),
        "run `npm ci` in e2e/ first"
    );
    let dir = scratch("console-e2e");
    let database = dir.join("m.db");
    let database = path_str(&database);
    accounts(database);
    let server = Server::start(database);
    let output = std::process::Command::new("node")
        .arg(e2e.join("console.mjs"))
        .env("MADOGUCHI_URL", format!("http://127.0.0.1:{}", server.port))
        .env("MADOGUCHI_EDITOR", format!("{}:{}", EDITOR.0, EDITOR.1))
        .env(
            "MADOGUCHI_REVIEWER",
            format!("{}:{}", REVIEWER.0, REVIEWER.1),
        )
        .env("MADOGUCHI_NUMBERS", "0120-99-7777:0120-99-7779")
        .output()
        .unwrap();
    println!("{}", String::from_utf8_lossy(&output.stdout));
    eprintln!("{}", String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "console browser suite failed");
    drop(server);
    std::fs::remove_dir_all(dir).unwrap();
}
