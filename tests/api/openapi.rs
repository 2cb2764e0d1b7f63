//! The OpenAPI description against the router: every API route registered in the source is
//! described, every described operation is routed, and the description is OpenAPI 3.1.

use std::collections::BTreeSet;
use std::path::Path;

use regex::Regex;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp};

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// `(path, method)` of every `.route("/api/…", get(…).post(…)…)` in `src/`.
fn registered_api_routes() -> BTreeSet<(String, String)> {
    let route = Regex::new(r#"\.route\(\s*"(/api/[^"]*)"\s*,((?:[^()]|\([^()]*\))*)\)"#).unwrap();
    let method = Regex::new(r"\b(get|post|put|patch|delete)\(").unwrap();
    let mut found = BTreeSet::new();
    for file in rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src")) {
        let source = std::fs::read_to_string(&file).unwrap();
        for registration in route.captures_iter(&source) {
            let methods: Vec<_> = method.captures_iter(&registration[2]).collect();
            assert!(
                !methods.is_empty(),
                "no method found in {}: {}",
                file.display(),
                &registration[0]
            );
            for m in methods {
                found.insert((registration[1].to_string(), m[1].to_string()));
            }
        }
    }
    found
}

fn rust_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

fn described_operations(spec: &Value) -> BTreeSet<(String, String)> {
    let mut found = BTreeSet::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for method in METHODS {
            if item.get(method).is_some() {
                found.insert((path.clone(), method.to_string()));
            }
        }
    }
    found
}

async fn served_spec(app: &TestApp) -> Value {
    let response = app.get("/api/openapi.json").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/json");
    response.json().await.unwrap()
}

#[tokio::test]
async fn every_api_route_in_the_source_is_described() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let spec = served_spec(&app).await;
    let described = described_operations(&spec);
    let registered = registered_api_routes();

    assert!(
        registered.len() >= 15,
        "the source scan found too little: {registered:?}"
    );
    let missing: Vec<_> = registered.difference(&described).collect();
    assert!(
        missing.is_empty(),
        "routes with no #[utoipa::path] in the OpenApi derive: {missing:?}"
    );
    let extra: Vec<_> = described.difference(&registered).collect();
    assert!(
        extra.is_empty(),
        "described but never registered: {extra:?}"
    );
}

#[tokio::test]
async fn the_description_is_openapi_3_1_with_a_bearer_scheme() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let spec = served_spec(&app).await;

    assert!(
        spec["openapi"].as_str().unwrap().starts_with("3.1"),
        "{}",
        spec["openapi"]
    );
    assert_eq!(spec["info"]["title"], "Tidings API");
    assert_eq!(spec["info"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(
        spec["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    let ids: Vec<&str> = spec["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| METHODS.iter().filter_map(|m| item.get(*m)))
        .map(|op| {
            op["operationId"]
                .as_str()
                .expect("every operation has an id")
        })
        .collect();
    let unique: BTreeSet<_> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "operation ids are unique: {ids:?}");
}

/// A request to every described operation, with `1` for path parameters, a valid token where
/// the description asks for one, and `{}` as the body: it reaches a handler (no 405, not the
/// fallback page), answers a status the description declares, and needs a token exactly when
/// the description says so.
#[tokio::test]
async fn every_described_operation_is_routed_as_described() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let token = app.api_token().await;
    let spec = served_spec(&app).await;

    for (path, method) in described_operations(&spec) {
        let op = &spec["paths"][&path][&method];
        let url = format!("{}{}", app.address, path.replace("{id}", "1"));
        let method: Method = method.to_uppercase().parse().unwrap();
        let needs_token = op["security"]
            .as_array()
            .is_some_and(|s| s.iter().any(|r| r.get("bearer").is_some()));
        let request = |with_token: bool| {
            let mut request = app.client.request(method.clone(), &url);
            if with_token {
                request = request.bearer_auth(&token);
            }
            if op.get("requestBody").is_some() {
                request = request.json(&json!({}));
            }
            request.send()
        };

        let response = request(true).await.unwrap();
        let status = response.status();
        let content_type = response.headers().get("content-type").cloned();
        assert_ne!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
        let fallback = status == StatusCode::NOT_FOUND
            && content_type.is_some_and(|c| c.to_str().unwrap().starts_with("text/html"));
        assert!(
            !fallback,
            "{method} {path} fell through to the not-found page"
        );
        assert!(
            op["responses"].get(status.as_str()).is_some(),
            "{method} {path} answered {status}, which the description does not declare"
        );

        let anonymous = request(false).await.unwrap().status();
        if needs_token {
            assert_eq!(
                anonymous,
                StatusCode::UNAUTHORIZED,
                "{method} {path} without a token"
            );
            assert!(
                op["responses"].get("401").is_some(),
                "{method} {path} declares its 401"
            );
        } else {
            assert_ne!(
                anonymous,
                StatusCode::UNAUTHORIZED,
                "{method} {path} is public"
            );
        }
    }
}

#[tokio::test]
async fn the_reference_page_lists_every_operation() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let spec = served_spec(&app).await;

    let response = app.get("/api/docs").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = response.text().await.unwrap();

    assert!(html.contains(r#"href="/api/openapi.json""#));
    for (path, method) in described_operations(&spec) {
        let op = &spec["paths"][&path][&method];
        let heading = format!(
            r#"<h3 id="op-{}"><span class="method">{}</span> <code class="path">{}</code></h3>"#,
            op["operationId"].as_str().unwrap(),
            method.to_uppercase(),
            path
        );
        assert!(html.contains(&heading), "the page lacks {method} {path}");
        let summary = op["summary"].as_str().unwrap().replace('\'', "&#39;");
        assert!(html.contains(&summary), "{method} {path}: summary");
    }
    for schema in spec["components"]["schemas"].as_object().unwrap().keys() {
        assert!(
            html.contains(&format!(r#"id="schema-{schema}""#)),
            "schema {schema}"
        );
    }
}
