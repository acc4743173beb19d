CREATE TABLE "public"."nodes" (
    "id" bigint GENERATED ALWAYS AS IDENTITY,
    "parent_id" bigint,
    CONSTRAINT "nodes_pkey" PRIMARY KEY (id),
    CONSTRAINT "nodes_parent_id_fkey" FOREIGN KEY (parent_id) REFERENCES public.nodes(id) ON DELETE CASCADE
);
