//! Tables, CSV, JSON, charts and the run folder.
