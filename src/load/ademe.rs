//! Reads the official ADEME Base Carbone® CSV export.
