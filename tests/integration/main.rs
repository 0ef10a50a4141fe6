//! One integration-test binary (as ripgrep does): CLI runs over the bundled corpus,
//! output contracts (schemas, spans, determinism), golden files, and accuracy on the
//! shared gold.

mod accuracy;
mod batch;
mod card;
mod checks;
mod cli;
mod common;
mod facts;
mod golden;
mod hostile;
mod schema;
mod sections;
mod spans;
mod tables;
