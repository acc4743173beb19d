create type "check" as enum ('a');
create type "Default" as enum ('b');
create table k ("check" int check ("check" > 0), "default" text default 'default', "not" boolean default (not false),
  e "check", f "Default" default 'b', g "check"[] default '{a}',
  arr int[] default array[1, 2], t time with time zone, iv interval day to second, bv bit varying(8), n numeric,
  c text check (c <> 'x') check (length(c) < 10),
  u1 int, u2 int, constraint "Named: UQ" unique (u1, u2));
comment on constraint "Named: UQ" on k is 'multi
line';
comment on column k."not" is '  leading spaces';
create index on k (u1 nulls first);
create index on k (u1 desc nulls last);
create unique index on k (lower(c)) where (u1 is not null and c <> '');
alter table k add constraint k_u1_uq unique (u1);
create table kk (id int primary key references kk (id) deferrable, other int unique references k (u1) on delete set null on update cascade);
alter table kk add constraint kk_other_fkey1 foreign key (other) references k(u1);
