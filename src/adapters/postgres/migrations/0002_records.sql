-- The record ports of src/application/ports (enrolments, orders with receipts, flags, broadcasts).
-- Each row keeps the domain value as JSON (`record`, encoded by its Schema) beside the columns that
-- queries and constraints need.

create table enrolments (
  user_id bigint not null,
  course_id text not null,
  enrolled_at timestamptz not null,
  record jsonb not null,
  primary key (course_id, user_id)
);
create index enrolments_by_student on enrolments (user_id, enrolled_at);

create table orders (
  id text primary key,
  user_id bigint not null,
  created_at timestamptz not null,
  record jsonb not null
);
create index orders_by_student on orders (user_id, created_at);

-- Every receipt image ever taken: the same picture is refused for any other order, across replicas.
create table receipt_images (
  file_unique_id text primary key,
  order_id text not null references orders (id)
);

create table student_flags (
  user_id bigint primary key,
  record jsonb not null
);

create table broadcasts (
  id text primary key,
  status text not null,
  created_at timestamptz not null,
  record jsonb not null
);

create table broadcast_deliveries (
  broadcast_id text not null references broadcasts (id),
  user_id bigint not null,
  state text not null,
  primary key (broadcast_id, user_id)
);
