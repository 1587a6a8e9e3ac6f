using MediConnect.Portal.Data.Migrations;

namespace MediConnect.Portal.Tests.Data.Migrations;

public sealed class SqlScriptTests
{
    [Fact]
    public void SplitsAtTopLevelSemicolonsOnly()
    {
        const string sql = """
            -- a comment; with a semicolon
            CREATE TABLE t (note text DEFAULT 'a;b', "odd;name" int);
            /* block; comment /* nested; */ still comment */
            CREATE FUNCTION f() RETURNS trigger AS $body$ BEGIN NEW.x := 1; RETURN NEW; END; $body$ LANGUAGE plpgsql;
            DO $$ BEGIN PERFORM 1; END $$;
            SELECT E'it\'s; fine', 'it''s; fine'
            """;

        var statements = SqlScript.Split(sql);

        Assert.Equal(4, statements.Count);
        Assert.EndsWith("CREATE TABLE t (note text DEFAULT 'a;b', \"odd;name\" int)", statements[0].Text);
        Assert.EndsWith("LANGUAGE plpgsql", statements[1].Text);
        Assert.Equal("DO $$ BEGIN PERFORM 1; END $$", statements[2].Text);
        Assert.Equal("SELECT E'it\\'s; fine', 'it''s; fine'", statements[3].Text);
    }

    [Fact]
    public void OffsetsPointAtEachStatementsFirstCharacter()
    {
        const string sql = "SELECT 1;\n\n  SELECT 2;";

        var statements = SqlScript.Split(sql);

        Assert.Equal([0, 13], statements.Select(s => s.Offset));
        Assert.Equal("SELECT 2", sql.Substring(statements[1].Offset, 8));
    }

    [Fact]
    public void CommentOnlyTailIsNotAStatement()
    {
        Assert.Single(SqlScript.Split("SELECT 1;\n-- the end\n"));
    }
}
