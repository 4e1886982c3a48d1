//! The layerlens web app.
