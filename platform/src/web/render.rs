//! Page rendering: one Tera instance built at start-up, a base context every page shares (language,
//! user, CSRF token, navigation, flash), and the `t()` template function for translations.

use std::collections::HashMap;
use std::sync::Arc;

use actix_web::http::{header, StatusCode};
use actix_web::HttpResponse;
use serde::Serialize;

use super::context::RequestContext;
use super::error::RenderedPage;
use super::{AppError, AppState, StartError};
use crate::access::Permission;
use crate::i18n::{Arg, I18n, Lang};

/// `{{ t(key="login-title", lang=lang, count=3) }}`: every argument other than `key` and `lang`
/// is passed to Fluent (numbers as numbers, so plurals work).
struct Translate(Arc<I18n>);

impl tera::Function for Translate {
    fn call(&self, args: &HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
        let key = args
            .get("key")
            .and_then(|v| v.as_str())
            .ok_or_else(|| tera::Error::msg("t() needs key=\"...\""))?;
        let lang = args
            .get("lang")
            .and_then(|v| v.as_str())
            .and_then(Lang::parse)
            .unwrap_or(Lang::Pl);
        let fargs: Vec<(&str, Arg)> = args
            .iter()
            .filter(|(k, _)| k.as_str() != "key" && k.as_str() != "lang")
            .map(|(k, v)| {
                let a = match v {
                    tera::Value::Number(n) => Arg::Num(n.as_f64().unwrap_or(0.0)),
                    tera::Value::String(s) => Arg::Str(s.clone()),
                    other => Arg::Str(other.to_string()),
                };
                (k.as_str(), a)
            })
            .collect();
        Ok(tera::Value::String(self.0.t(lang, key, &fargs)))
    }
}

pub fn build_tera(
    templates: &[(String, String)],
    i18n: Arc<I18n>,
) -> Result<tera::Tera, StartError> {
    let mut tera = tera::Tera::default();
    tera.add_raw_templates(templates.iter().map(|(n, s)| (n.as_str(), s.as_str())))
        .map_err(|e| {
            use std::error::Error;
            let mut m = e.to_string();
            if let Some(s) = e.source() {
                m.push_str(": ");
                m.push_str(&s.to_string());
            }
            StartError::Template(m)
        })?;
    tera.register_function("t", Translate(i18n));
    Ok(tera)
}

#[derive(Serialize)]
struct NavLink {
    label: String,
    href: String,
    current: bool,
}

#[derive(Serialize)]
struct LangOption {
    code: &'static str,
    name: &'static str,
    selected: bool,
}

#[derive(Serialize)]
struct UserView<'a> {
    full_name: &'a str,
    email: &'a str,
    is_platform_admin: bool,
}

fn nav(state: &AppState, ctx: &RequestContext) -> Vec<NavLink> {
    let principal = ctx.user.as_ref().map(|u| &u.principal);
    let mut items: Vec<(&str, &str)> = vec![("nav-home", "/")];
    for item in state.plugin_nav(principal) {
        items.push((item.label, item.href));
    }
    if let Some(p) = principal {
        if p.can_anywhere(Permission::ManageOrganisation) && !p.is_platform_admin {
            items.push(("nav-organisations", "/organizacje"));
        }
        if p.is_platform_admin {
            items.push(("nav-admin", "/admin/organizacje"));
        }
    }
    items
        .into_iter()
        .map(|(label, href)| NavLink {
            label: state.i18n.t(ctx.lang, label, &[]),
            href: href.to_string(),
            current: if href == "/" {
                ctx.path == "/"
            } else {
                ctx.path == href || ctx.path.starts_with(&format!("{href}/"))
            },
        })
        .collect()
}

/// Renders `template` with the page's own data merged over the shared base context.
pub fn render_page<T: Serialize>(
    state: &AppState,
    ctx: &RequestContext,
    template: &str,
    data: &T,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let value = serde_json::to_value(data).map_err(AppError::internal)?;
    let mut c = if value.is_null() {
        tera::Context::new()
    } else {
        tera::Context::from_value(value)?
    };
    c.insert("lang", ctx.lang.code());
    c.insert(
        "langs",
        &Lang::ALL
            .iter()
            .map(|l| LangOption {
                code: l.code(),
                name: l.native_name(),
                selected: *l == ctx.lang,
            })
            .collect::<Vec<_>>(),
    );
    c.insert(
        "user",
        &ctx.user.as_ref().map(|u| UserView {
            full_name: &u.user.full_name,
            email: &u.user.email,
            is_platform_admin: u.user.is_platform_admin,
        }),
    );
    c.insert("csrf_token", &ctx.csrf_token);
    c.insert("nav", &nav(state, ctx));
    c.insert(
        "flash",
        &ctx.flash.as_ref().map(|f| state.i18n.t(ctx.lang, f, &[])),
    );
    c.insert("current_path", &ctx.path);
    let body = state.tera.render(template, &c)?;
    let mut res = HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "private, no-cache"))
        .body(body);
    res.extensions_mut().insert(RenderedPage);
    Ok(res)
}

/// Renders a 200 page.
pub fn render<T: Serialize>(
    state: &AppState,
    ctx: &RequestContext,
    template: &str,
    data: &T,
) -> Result<HttpResponse, AppError> {
    render_page(state, ctx, template, data, StatusCode::OK)
}

/// Field errors of a form, as Fluent ids; rendered as a linked summary plus per-field messages.
#[derive(Debug, Default)]
pub struct FormErrors(Vec<(&'static str, &'static str)>);

#[derive(Serialize)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

impl FormErrors {
    pub fn add(&mut self, field: &'static str, message_key: &'static str) {
        if !self.0.iter().any(|(f, _)| *f == field) {
            self.0.push((field, message_key));
        }
    }

    pub fn check(&mut self, field: &'static str, r: Result<(), &'static str>) {
        if let Err(k) = r {
            self.add(field, k);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Translated errors in field order, for the template's `errors` variable.
    pub fn translate(&self, state: &AppState, lang: Lang) -> Vec<FieldError> {
        self.0
            .iter()
            .map(|(field, key)| FieldError {
                field,
                message: state.i18n.t(lang, key, &[]),
            })
            .collect()
    }
}

/// A 303 redirect (after a successful POST), optionally leaving a one-shot flash message.
pub fn see_other(state: &AppState, location: &str, flash: Option<&'static str>) -> HttpResponse {
    let mut b = HttpResponse::SeeOther();
    b.insert_header((header::LOCATION, location.to_string()));
    if let Some(f) = flash {
        b.cookie(super::context::cookie(
            state,
            super::context::FLASH_COOKIE,
            f.to_string(),
            None,
        ));
    }
    b.finish()
}
