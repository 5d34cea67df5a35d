"""hub schema: groups, memberships, packs and cards, with roles and row-level security

Revision ID: h0001
Revises:
Create Date: 2026-12-07

Who may do what is enforced here, by PostgreSQL, not by the app:

- ``studyhub_member`` (a NOLOGIN group role; each member's login is in it) reads the
  groups it belongs to (their packs and schedule), its own card rows, and the anonymous
  exam sittings of its groups through :sql:`studyhub.group_sittings`; it writes only card
  rows whose ``owner`` is itself. It joins a group by name through
  :sql:`studyhub.open_group` (the only way into ``memberships``).
- ``studyhub_facilitator`` creates groups it leads, publishes their packs and schedule,
  and reads every card of the groups it leads and nothing of other groups.
- Row-level security is on for every table, keyed on ``current_user`` (the login); the
  owner of the tables (the administrator who ran ``group hub init``) is the only one who
  bypasses it.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "h0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATEMENTS = [
    # Group roles are cluster-wide; create them once, keep them if another hub made them.
    """DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'studyhub_member') THEN
            CREATE ROLE studyhub_member NOLOGIN;
        END IF;
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'studyhub_facilitator') THEN
            CREATE ROLE studyhub_facilitator NOLOGIN;
        END IF;
    END $$""",
    "REVOKE ALL ON SCHEMA studyhub FROM PUBLIC",
    "GRANT USAGE ON SCHEMA studyhub TO studyhub_member, studyhub_facilitator",
    """CREATE TABLE studyhub.people (
        login text PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('member', 'facilitator')),
        added_at timestamptz NOT NULL DEFAULT now()
    )""",
    """CREATE TABLE studyhub.groups (
        id bigserial PRIMARY KEY,
        name text NOT NULL UNIQUE,
        leader text NOT NULL DEFAULT current_user,
        record jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
    )""",
    """CREATE TABLE studyhub.memberships (
        group_id bigint NOT NULL REFERENCES studyhub.groups (id) ON DELETE CASCADE,
        login text NOT NULL,
        joined_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (group_id, login)
    )""",
    "CREATE INDEX memberships_login ON studyhub.memberships (login)",
    """CREATE TABLE studyhub.packs (
        group_id bigint NOT NULL REFERENCES studyhub.groups (id) ON DELETE CASCADE,
        file text NOT NULL,
        sha256 text NOT NULL,
        data bytea NOT NULL,
        PRIMARY KEY (group_id, file)
    )""",
    """CREATE TABLE studyhub.cards (
        group_id bigint NOT NULL REFERENCES studyhub.groups (id) ON DELETE CASCADE,
        owner text NOT NULL DEFAULT current_user,
        member_id text NOT NULL,
        version bigint NOT NULL DEFAULT 1,
        digest text NOT NULL,
        card jsonb NOT NULL,
        written_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (group_id, owner)
    )""",
    # A card's mock exam sittings, one row each, so a screen showing one exam code reads
    # that code's rows only (the card row holds the rest of the card).
    """CREATE TABLE studyhub.sittings (
        group_id bigint NOT NULL,
        owner text NOT NULL DEFAULT current_user,
        position integer NOT NULL,
        code text NOT NULL,
        exam jsonb NOT NULL,
        PRIMARY KEY (group_id, owner, position),
        FOREIGN KEY (group_id, owner) REFERENCES studyhub.cards (group_id, owner)
            ON DELETE CASCADE
    )""",
    # Row-level security on every table; no policy means no row.
    "ALTER TABLE studyhub.people ENABLE ROW LEVEL SECURITY",
    "ALTER TABLE studyhub.groups ENABLE ROW LEVEL SECURITY",
    "ALTER TABLE studyhub.memberships ENABLE ROW LEVEL SECURITY",
    "ALTER TABLE studyhub.packs ENABLE ROW LEVEL SECURITY",
    "ALTER TABLE studyhub.cards ENABLE ROW LEVEL SECURITY",
    "ALTER TABLE studyhub.sittings ENABLE ROW LEVEL SECURITY",
    # memberships: each login sees its own rows; nobody writes them but open_group.
    "GRANT SELECT ON studyhub.memberships TO studyhub_member, studyhub_facilitator",
    """CREATE POLICY own_memberships ON studyhub.memberships FOR SELECT
        USING (login = current_user)""",
    # groups: visible to their leader and their members; written by their leader only.
    "GRANT SELECT ON studyhub.groups TO studyhub_member, studyhub_facilitator",
    "GRANT INSERT (name, record), UPDATE (record, updated_at) ON studyhub.groups "
    "TO studyhub_facilitator",
    "GRANT USAGE ON SEQUENCE studyhub.groups_id_seq TO studyhub_facilitator",
    """CREATE POLICY see_groups ON studyhub.groups FOR SELECT
        USING (leader = current_user OR id IN
               (SELECT m.group_id FROM studyhub.memberships m WHERE m.login = current_user))""",
    """CREATE POLICY lead_new_group ON studyhub.groups FOR INSERT TO studyhub_facilitator
        WITH CHECK (leader = current_user)""",
    """CREATE POLICY lead_group ON studyhub.groups FOR UPDATE TO studyhub_facilitator
        USING (leader = current_user) WITH CHECK (leader = current_user)""",
    # packs: read with the group (the groups policy filters the subquery); written by
    # the group's leader.
    "GRANT SELECT ON studyhub.packs TO studyhub_member, studyhub_facilitator",
    "GRANT INSERT, UPDATE ON studyhub.packs TO studyhub_facilitator",
    """CREATE POLICY see_packs ON studyhub.packs FOR SELECT
        USING (group_id IN (SELECT g.id FROM studyhub.groups g))""",
    """CREATE POLICY publish_packs ON studyhub.packs FOR INSERT TO studyhub_facilitator
        WITH CHECK (group_id IN
                    (SELECT g.id FROM studyhub.groups g WHERE g.leader = current_user))""",
    """CREATE POLICY republish_packs ON studyhub.packs FOR UPDATE TO studyhub_facilitator
        USING (group_id IN (SELECT g.id FROM studyhub.groups g WHERE g.leader = current_user))
        WITH CHECK (group_id IN
                    (SELECT g.id FROM studyhub.groups g WHERE g.leader = current_user))""",
    # cards: a member reads and writes its own rows, in groups it belongs to; the leader
    # of a group reads that group's cards.
    "GRANT SELECT, INSERT, UPDATE, DELETE ON studyhub.cards TO studyhub_member",
    "GRANT SELECT ON studyhub.cards TO studyhub_facilitator",
    """CREATE POLICY see_cards ON studyhub.cards FOR SELECT
        USING (owner = current_user OR group_id IN
               (SELECT g.id FROM studyhub.groups g WHERE g.leader = current_user))""",
    """CREATE POLICY write_own_card ON studyhub.cards FOR INSERT TO studyhub_member
        WITH CHECK (owner = current_user AND group_id IN
                    (SELECT m.group_id FROM studyhub.memberships m
                     WHERE m.login = current_user))""",
    """CREATE POLICY update_own_card ON studyhub.cards FOR UPDATE TO studyhub_member
        USING (owner = current_user)
        WITH CHECK (owner = current_user AND group_id IN
                    (SELECT m.group_id FROM studyhub.memberships m
                     WHERE m.login = current_user))""",
    """CREATE POLICY remove_own_card ON studyhub.cards FOR DELETE TO studyhub_member
        USING (owner = current_user)""",
    # sittings: the same rule as their cards (a row needs its own card: the foreign key).
    "GRANT SELECT, INSERT, DELETE ON studyhub.sittings TO studyhub_member",
    "GRANT SELECT ON studyhub.sittings TO studyhub_facilitator",
    """CREATE POLICY see_sittings ON studyhub.sittings FOR SELECT
        USING (owner = current_user OR group_id IN
               (SELECT g.id FROM studyhub.groups g WHERE g.leader = current_user))""",
    """CREATE POLICY write_own_sittings ON studyhub.sittings FOR INSERT TO studyhub_member
        WITH CHECK (owner = current_user)""",
    """CREATE POLICY remove_own_sittings ON studyhub.sittings FOR DELETE TO studyhub_member
        USING (owner = current_user)""",
    # open_group: the one way in. The leader gets its group; a member login joins the
    # group it names (knowing the name is what knowing the shared folder is for a folder
    # group); anyone else gets nothing. SECURITY DEFINER, so it sees session_user.
    """CREATE FUNCTION studyhub.open_group(p_name text)
        RETURNS TABLE (id bigint, record jsonb)
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, studyhub AS $$
    DECLARE
        gid bigint;
        boss text;
    BEGIN
        SELECT g.id, g.leader INTO gid, boss FROM studyhub.groups g WHERE g.name = p_name;
        IF gid IS NULL THEN
            RAISE EXCEPTION 'no group named %', p_name USING ERRCODE = 'no_data_found';
        END IF;
        IF boss <> session_user THEN
            IF NOT pg_has_role(session_user, 'studyhub_member', 'MEMBER') THEN
                RAISE EXCEPTION 'not a member login' USING ERRCODE = 'insufficient_privilege';
            END IF;
            INSERT INTO studyhub.memberships (group_id, login) VALUES (gid, session_user)
                ON CONFLICT DO NOTHING;
        END IF;
        RETURN QUERY SELECT g.id, g.record FROM studyhub.groups g WHERE g.id = gid;
    END $$""",
    "REVOKE ALL ON FUNCTION studyhub.open_group(text) FROM PUBLIC",
    "GRANT EXECUTE ON FUNCTION studyhub.open_group(text) TO studyhub_member, studyhub_facilitator",
    # group_sittings: the other members' mock exam sittings in a group the caller belongs
    # to, naming nobody (the group's figures a member's Group screen shows). The leader
    # reads the cards themselves and gets nothing here.
    """CREATE FUNCTION studyhub.group_sittings(p_group bigint, p_codes text[] DEFAULT NULL)
        RETURNS TABLE (n bigint, exams jsonb)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, studyhub AS $$
        SELECT row_number() OVER (ORDER BY c.digest),
               COALESCE((SELECT jsonb_agg(s.exam ORDER BY s.position) FROM studyhub.sittings s
                         WHERE s.group_id = c.group_id AND s.owner = c.owner
                           AND (p_codes IS NULL OR s.code = ANY (p_codes))), '[]'::jsonb)
        FROM studyhub.cards c
        WHERE c.group_id = p_group AND c.owner <> session_user
          AND EXISTS (SELECT 1 FROM studyhub.memberships m
                      WHERE m.group_id = p_group AND m.login = session_user)
    $$""",
    "REVOKE ALL ON FUNCTION studyhub.group_sittings(bigint, text[]) FROM PUBLIC",
    "GRANT EXECUTE ON FUNCTION studyhub.group_sittings(bigint, text[]) "
    "TO studyhub_member, studyhub_facilitator",
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    op.execute("DROP SCHEMA studyhub CASCADE")
