//! The reference page's model: the OpenAPI description read as JSON (the shape every OpenAPI
//! reader sees), arranged by tag for a template to show.

use std::sync::LazyLock;

use askama::Template;
use serde_json::Value;

use super::{SPEC, SPEC_PATH};

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

#[derive(Template)]
#[template(path = "pages/api_docs.html")]
pub struct ApiReference<'a> {
    newsletter: &'a str,
    model: &'a Model,
}

impl<'a> ApiReference<'a> {
    pub fn new(newsletter: &'a str, model: &'a Model) -> Self {
        ApiReference { newsletter, model }
    }
}

pub struct Model {
    title: String,
    version: String,
    /// HTML: the description with its `code` marked up.
    intro: String,
    spec_path: &'static str,
    sections: Vec<Section>,
    schemas: Vec<NamedSchema>,
}

struct Section {
    tag: String,
    description: String,
    operations: Vec<Operation>,
}

struct Operation {
    anchor: String,
    method: String,
    path: String,
    summary: String,
    /// HTML, like `Model::intro`.
    description: String,
    needs_token: bool,
    parameters: Vec<Parameter>,
    body: Option<Body>,
    responses: Vec<Answer>,
}

struct Parameter {
    name: String,
    location: String,
    required: bool,
    description: String,
    schema: String,
}

struct Body {
    required: bool,
    description: String,
    contents: Vec<Content>,
}

struct Content {
    media_type: String,
    /// The name of a schema listed further down, when the body is one of those.
    schema_ref: Option<String>,
    /// Otherwise the schema itself, as pretty JSON.
    schema: String,
}

struct Answer {
    status: String,
    description: String,
    contents: Vec<Content>,
    /// Name and HTML description.
    headers: Vec<(String, String)>,
}

struct NamedSchema {
    name: String,
    json: String,
}

pub static MODEL: LazyLock<Model> = LazyLock::new(|| {
    Model::from_spec(&serde_json::to_value(&*SPEC).expect("the OpenAPI description serialises"))
});

impl Model {
    fn from_spec(spec: &Value) -> Model {
        let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
        let mut sections: Vec<Section> = spec["tags"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|tag| Section {
                tag: text(&tag["name"]),
                description: text(&tag["description"]),
                operations: Vec::new(),
            })
            .collect();
        let paths = spec["paths"].as_object().into_iter().flatten();
        for (path, item) in paths {
            for method in METHODS {
                let Some(op) = item.get(method) else { continue };
                let tag = op["tags"][0].as_str().unwrap_or("other");
                let section = match sections.iter().position(|s| s.tag == tag) {
                    Some(i) => &mut sections[i],
                    None => {
                        sections.push(Section {
                            tag: tag.to_string(),
                            description: String::new(),
                            operations: Vec::new(),
                        });
                        sections.last_mut().expect("just pushed")
                    }
                };
                section
                    .operations
                    .push(Operation::from_spec(path, method, op));
            }
        }
        sections.retain(|s| !s.operations.is_empty());
        let schemas = spec["components"]["schemas"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(name, schema)| NamedSchema {
                name: name.clone(),
                json: pretty(schema),
            })
            .collect();
        Model {
            title: text(&spec["info"]["title"]),
            version: text(&spec["info"]["version"]),
            intro: code_spans(spec["info"]["description"].as_str().unwrap_or_default()),
            spec_path: SPEC_PATH,
            sections,
            schemas,
        }
    }
}

impl Operation {
    fn from_spec(path: &str, method: &str, op: &Value) -> Operation {
        let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
        let parameters = op["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| Parameter {
                name: text(&p["name"]),
                location: text(&p["in"]),
                required: p["required"].as_bool().unwrap_or(false),
                description: text(&p["description"]),
                schema: compact(&p["schema"]),
            })
            .collect();
        let body = op.get("requestBody").map(|b| Body {
            required: b["required"].as_bool().unwrap_or(false),
            description: text(&b["description"]),
            contents: contents(&b["content"]),
        });
        let responses = op["responses"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(status, r)| Answer {
                status: status.clone(),
                description: code_spans(r["description"].as_str().unwrap_or_default()),
                contents: contents(&r["content"]),
                headers: r["headers"]
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(name, h)| {
                        let description = h["description"].as_str().unwrap_or_default();
                        (name.clone(), code_spans(description))
                    })
                    .collect(),
            })
            .collect();
        let operation_id = op["operationId"].as_str().unwrap_or(method);
        Operation {
            anchor: format!("op-{operation_id}"),
            method: method.to_uppercase(),
            path: path.to_string(),
            summary: text(&op["summary"]),
            description: code_spans(op["description"].as_str().unwrap_or_default()),
            needs_token: op["security"]
                .as_array()
                .is_some_and(|s| s.iter().any(|r| r.get("bearer").is_some())),
            parameters,
            body,
            responses,
        }
    }
}

fn contents(content: &Value) -> Vec<Content> {
    content
        .as_object()
        .into_iter()
        .flatten()
        .map(|(media_type, c)| {
            let schema_ref = c["schema"]["$ref"]
                .as_str()
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
                .map(str::to_string);
            Content {
                media_type: media_type.clone(),
                schema: if schema_ref.is_some() {
                    String::new()
                } else {
                    pretty(&c["schema"])
                },
                schema_ref,
            }
        })
        .collect()
}

fn pretty(schema: &Value) -> String {
    serde_json::to_string_pretty(schema).unwrap_or_default()
}

fn compact(schema: &Value) -> String {
    serde_json::to_string(schema).unwrap_or_default()
}

/// Escapes text for HTML and turns Markdown's `code` spans (the only Markdown the
/// descriptions use) into `<code>`.
fn code_spans(text: &str) -> String {
    let mut html = String::with_capacity(text.len());
    for (i, part) in text.split('`').enumerate() {
        let escaped = escape(part);
        if i % 2 == 1 {
            html.push_str("<code>");
            html.push_str(&escaped);
            html.push_str("</code>");
        } else {
            html.push_str(&escaped);
        }
    }
    html
}

/// askama's own HTML escaping, as the templates use it.
fn escape(text: &str) -> String {
    match askama::filters::escape(text, askama::filters::Html) {
        Ok(escaped) => escaped.to_string(),
        Err(never) => match never {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_are_marked_up_and_everything_is_escaped() {
        assert_eq!(
            code_spans("send `Authorization: <token>` & <b>wait</b>"),
            "send <code>Authorization: &#60;token&#62;</code> &#38; &#60;b&#62;wait&#60;/b&#62;"
        );
    }

    #[test]
    fn every_operation_lands_in_a_section() {
        let spec = serde_json::to_value(&*SPEC).unwrap();
        let in_spec: usize = spec["paths"]
            .as_object()
            .unwrap()
            .values()
            .map(|item| METHODS.iter().filter(|m| item.get(**m).is_some()).count())
            .sum();
        let on_page: usize = MODEL.sections.iter().map(|s| s.operations.len()).sum();
        assert_eq!(in_spec, on_page);
    }
}
