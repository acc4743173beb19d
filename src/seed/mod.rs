//! `seed`: fill tables with generated rows, parents before children, over
//! COPY.

pub mod order;
