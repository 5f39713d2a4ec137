//! Page-number pagination, the same in every list endpoint: `page` from 1, `per_page` from
//! 1 to [`MAX_PER_PAGE`], answered as `{items, total, page, per_page}`.

use serde::Serialize;

use crate::error::{ApiError, FieldErrors};

pub const DEFAULT_PER_PAGE: u32 = 20;
pub const MAX_PER_PAGE: u32 = 100;

/// A validated page request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    pub page: u32,
    pub per_page: u32,
}

impl Paging {
    /// 400 with field details for a page of 0 or a size outside 1..=100.
    pub fn new(page: Option<u32>, per_page: Option<u32>) -> Result<Self, ApiError> {
        let page = page.unwrap_or(1);
        let per_page = per_page.unwrap_or(DEFAULT_PER_PAGE);
        let mut errors = FieldErrors::default();
        if page == 0 {
            errors.add("page", "must be 1 or more");
        }
        if !(1..=MAX_PER_PAGE).contains(&per_page) {
            errors.add("per_page", format!("must be 1 to {MAX_PER_PAGE}"));
        }
        errors.into_result()?;
        Ok(Self { page, per_page })
    }

    pub fn limit(self) -> i64 {
        i64::from(self.per_page)
    }

    pub fn offset(self) -> i64 {
        i64::from(self.page - 1) * i64::from(self.per_page)
    }

    pub fn wrap<T>(self, items: Vec<T>, total: i64) -> Page<T> {
        Page {
            items,
            total,
            page: self.page,
            per_page: self.per_page,
        }
    }
}

/// One page of a list. A page past the end is empty, with the true `total`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// How many items match, over all pages.
    pub total: i64,
    pub page: u32,
    pub per_page: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_offsets() {
        let paging = Paging::new(None, None).expect("defaults");
        assert_eq!((paging.page, paging.per_page, paging.offset()), (1, 20, 0));
        assert_eq!(Paging::new(Some(3), Some(10)).expect("ok").offset(), 20);
    }

    #[test]
    fn out_of_range_values_are_refused() {
        assert!(Paging::new(Some(0), None).is_err());
        assert!(Paging::new(None, Some(0)).is_err());
        assert!(Paging::new(None, Some(101)).is_err());
        assert!(Paging::new(None, Some(100)).is_ok());
    }
}
