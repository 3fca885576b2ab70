-- The database's roles and the montage database, run once by the postgres image on an empty data directory (as
-- the superuser, through psql: \getenv needs psql 15). The same roles as deploy/local/setup-db.sh creates; the
-- migrations (the migrate service, as montage_owner) create everything else.
\set ON_ERROR_STOP on
\getenv pw MONTAGE_DB_PASSWORD
-- owns the schema and runs migrations
CREATE ROLE montage_owner LOGIN CREATEDB NOSUPERUSER NOCREATEROLE NOBYPASSRLS PASSWORD :'pw';
-- the application's login, under row-level security; NOINHERIT: a member of montage_system only to SET ROLE into it
CREATE ROLE montage_app LOGIN NOINHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD :'pw';
-- cross-tenant system work (queue claims, key lookup), entered with SET LOCAL ROLE
CREATE ROLE montage_system NOLOGIN NOSUPERUSER BYPASSRLS;
GRANT montage_system TO montage_app;
GRANT montage_app TO montage_owner;
GRANT montage_system TO montage_owner;
CREATE DATABASE montage OWNER montage_owner;
\connect montage
CREATE EXTENSION IF NOT EXISTS vector;
