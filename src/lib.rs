pub mod similarity;
