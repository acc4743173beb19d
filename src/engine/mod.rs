pub mod preserve;
