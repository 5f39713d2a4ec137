//! The `users` table.

use anyhow::Context;
use chrono::{DateTime, Utc};
use serde::Serialize;
use shared::auth::Role;
use shared::db::{GenericClient, is_unique_violation};
use tokio_postgres::Row;
use uuid::Uuid;

/// An account as the API shows it (never the password hash).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct User {
    pub id: Uuid,
    pub email: String,
    pub username: String,
    pub role: Role,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const COLUMNS: &str = "id, email, username, role, created_at, updated_at";

impl User {
    fn from_row(row: &Row) -> anyhow::Result<Self> {
        let role: String = row.try_get("role")?;
        Ok(Self {
            id: row.try_get("id")?,
            email: row.try_get("email")?,
            username: row.try_get("username")?,
            role: role.parse().map_err(anyhow::Error::msg)?,
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
        })
    }
}

/// An email or username another account already has.
#[derive(Debug, thiserror::Error)]
pub enum WriteUserError {
    #[error("this email is already registered")]
    EmailTaken,
    #[error("this username is taken")]
    UsernameTaken,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

fn classify(err: tokio_postgres::Error, doing: &'static str) -> WriteUserError {
    if is_unique_violation(&err, "users_email_key") {
        WriteUserError::EmailTaken
    } else if is_unique_violation(&err, "users_username_key") {
        WriteUserError::UsernameTaken
    } else {
        WriteUserError::Unexpected(anyhow::Error::new(err).context(doing))
    }
}

pub struct NewUser<'a> {
    pub email: &'a str,
    pub username: &'a str,
    pub password_hash: &'a str,
    pub role: Role,
}

pub async fn insert(db: &impl GenericClient, new: NewUser<'_>) -> Result<User, WriteUserError> {
    let row = db
        .query_one(
            &format!(
                "INSERT INTO users (id, email, username, password_hash, role) \
                 VALUES ($1, $2, $3, $4, $5) RETURNING {COLUMNS}"
            ),
            &[
                &Uuid::new_v4(),
                &new.email,
                &new.username,
                &new.password_hash,
                &new.role.as_str(),
            ],
        )
        .await
        .map_err(|err| classify(err, "insert user"))?;
    Ok(User::from_row(&row)?)
}

/// Whether another account has this email or (in any case) this username; the email first.
pub async fn taken(
    db: &impl GenericClient,
    email: &str,
    username: &str,
) -> anyhow::Result<Option<WriteUserError>> {
    let row = db
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM users WHERE email = $1), \
                    EXISTS (SELECT 1 FROM users WHERE lower(username) = lower($2))",
            &[&email, &username],
        )
        .await
        .context("look for a taken email or username")?;
    Ok(if row.try_get(0)? {
        Some(WriteUserError::EmailTaken)
    } else if row.try_get(1)? {
        Some(WriteUserError::UsernameTaken)
    } else {
        None
    })
}

/// The account and its password hash, for log-in.
pub async fn find_with_hash_by_email(
    db: &impl GenericClient,
    email: &str,
) -> anyhow::Result<Option<(User, String)>> {
    let row = db
        .query_opt(
            &format!("SELECT {COLUMNS}, password_hash FROM users WHERE email = $1"),
            &[&email],
        )
        .await
        .context("find user by email")?;
    row.map(|row| Ok((User::from_row(&row)?, row.try_get("password_hash")?)))
        .transpose()
}

pub async fn find_with_hash(
    db: &impl GenericClient,
    id: Uuid,
) -> anyhow::Result<Option<(User, String)>> {
    let row = db
        .query_opt(
            &format!("SELECT {COLUMNS}, password_hash FROM users WHERE id = $1"),
            &[&id],
        )
        .await
        .context("find user")?;
    row.map(|row| Ok((User::from_row(&row)?, row.try_get("password_hash")?)))
        .transpose()
}

/// Changes the given fields; `None` leaves a field as it is.
pub async fn update_profile(
    db: &impl GenericClient,
    id: Uuid,
    email: Option<&str>,
    username: Option<&str>,
) -> Result<Option<User>, WriteUserError> {
    let row = db
        .query_opt(
            &format!(
                "UPDATE users SET email = COALESCE($2, email), username = COALESCE($3, username), \
                 updated_at = now() WHERE id = $1 RETURNING {COLUMNS}"
            ),
            &[&id, &email, &username],
        )
        .await
        .map_err(|err| classify(err, "update user"))?;
    Ok(row.map(|row| User::from_row(&row)).transpose()?)
}

pub async fn set_password_hash(
    db: &impl GenericClient,
    id: Uuid,
    hash: &str,
) -> anyhow::Result<()> {
    db.execute(
        "UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1",
        &[&id, &hash],
    )
    .await
    .context("set password hash")?;
    Ok(())
}

pub struct ListFilter<'a> {
    /// Matches a part of the email or username, case-insensitively.
    pub search: Option<&'a str>,
    pub role: Option<Role>,
    pub limit: i64,
    pub offset: i64,
}

/// One page of accounts, oldest first, and the total that match.
pub async fn list(
    db: &impl GenericClient,
    filter: ListFilter<'_>,
) -> anyhow::Result<(Vec<User>, i64)> {
    let pattern = filter.search.map(|search| {
        let escaped = search
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        format!("%{escaped}%")
    });
    let role = filter.role.map(Role::as_str);
    let condition = "($1::text IS NULL OR email ILIKE $1 OR username ILIKE $1) \
                     AND ($2::text IS NULL OR role = $2)";
    let rows = db
        .query(
            &format!(
                "SELECT {COLUMNS} FROM users WHERE {condition} \
                 ORDER BY created_at, id LIMIT $3 OFFSET $4"
            ),
            &[&pattern, &role, &filter.limit, &filter.offset],
        )
        .await
        .context("list users")?;
    let total: i64 = db
        .query_one(
            &format!("SELECT count(*) FROM users WHERE {condition}"),
            &[&pattern, &role],
        )
        .await
        .context("count users")?
        .try_get(0)?;
    let users = rows
        .iter()
        .map(User::from_row)
        .collect::<anyhow::Result<_>>()?;
    Ok((users, total))
}

#[derive(Debug, thiserror::Error)]
pub enum SetRoleError {
    #[error("no such user")]
    NotFound,
    #[error("the last admin cannot be demoted")]
    LastAdmin,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

/// Changes a role inside a transaction that locks the admins, so two admins demoting each
/// other at once cannot leave none.
pub async fn set_role(
    db: &mut shared::db::Client,
    id: Uuid,
    role: Role,
) -> Result<User, SetRoleError> {
    let tx = db.transaction().await.context("begin")?;
    let admins: Vec<Uuid> = tx
        .query(
            "SELECT id FROM users WHERE role = 'admin' ORDER BY id FOR UPDATE",
            &[],
        )
        .await
        .context("lock admins")?
        .iter()
        .map(|row| row.get(0))
        .collect();
    if role == Role::User && admins == [id] {
        return Err(SetRoleError::LastAdmin);
    }
    let row = tx
        .query_opt(
            &format!(
                "UPDATE users SET role = $2, updated_at = now() WHERE id = $1 RETURNING {COLUMNS}"
            ),
            &[&id, &role.as_str()],
        )
        .await
        .context("update role")?
        .ok_or(SetRoleError::NotFound)?;
    tx.commit().await.context("commit")?;
    Ok(User::from_row(&row)?)
}

/// Whether any account has the admin role.
pub async fn any_admin(db: &impl GenericClient) -> anyhow::Result<bool> {
    let row = db
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM users WHERE role = 'admin')",
            &[],
        )
        .await
        .context("look for an admin")?;
    Ok(row.try_get(0)?)
}
