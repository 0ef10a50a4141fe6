//! baogao (报告): Chinese county government fiscal reports → JSON Lines datasets.
//!
//! One module per stage, in pipeline order:
//! [`decode`] → [`normalize`] → [`segment`] / [`tables`] → [`indicators`] → [`facts`]
//! → [`card`] → [`checks`] → [`emit`]. [`pipeline`] runs them on one document,
//! [`run`] over many in parallel. The types passed between stages are in [`model`];
//! the pattern libraries they read are in [`patterns`].

pub mod card;
pub mod checks;
pub mod cli;
pub mod decode;
pub mod emit;
pub mod error;
pub mod facts;
pub mod indicators;
pub mod model;
pub mod normalize;
pub mod numbers;
pub mod patterns;
pub mod pipeline;
pub mod run;
pub mod segment;
pub mod tables;

pub use patterns::PatternSet;
pub use pipeline::{extract, Outcome};
