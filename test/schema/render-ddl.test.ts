import { renderCreateTable } from '../../schema/render-ddl';
import type { TableDef } from '../../schema/table-def';
import { inodes, leasePaths, tablesV1 } from '../../schema/tables';

describe('renderCreateTable', () => {
  it('renders InnoDB with binary utf8mb4 and no partitioning', () => {
    const ddl = renderCreateTable(inodes, 'innodb');
    expect(ddl).toMatch(/^CREATE TABLE IF NOT EXISTS `inodes` \(/);
    expect(ddl).toMatch(/\) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin$/);
    expect(ddl).not.toContain('PARTITION');
    expect(ddl).not.toContain('NDBCLUSTER');
  });

  it('renders NDB with PARTITION BY KEY from partitionBy', () => {
    const ddl = renderCreateTable(inodes, 'ndb');
    expect(ddl).toContain('ENGINE=NDBCLUSTER');
    expect(ddl).toMatch(/\nPARTITION BY KEY \(`parent_id`\)$/);
    expect(ddl).not.toContain('InnoDB');
  });

  it('omits PARTITION BY for NDB tables without partitionBy', () => {
    expect(renderCreateTable(leasePaths, 'ndb')).not.toContain('PARTITION');
  });

  it('renders keys, indexes, types, nullability and defaults', () => {
    const ddl = renderCreateTable(inodes, 'innodb');
    expect(ddl).toContain('PRIMARY KEY (`parent_id`, `name`)');
    expect(ddl).toContain('UNIQUE KEY `inodes_id` (`id`)');
    expect(ddl).toContain('`name` VARBINARY(255) NOT NULL');
    expect(ddl).toContain('`permission` SMALLINT UNSIGNED NOT NULL');
    expect(ddl).toContain('`replication` SMALLINT UNSIGNED NOT NULL DEFAULT 0');
    expect(ddl).toContain('`symlink` VARBINARY(4000) NULL');
    expect(renderCreateTable(leasePaths, 'ndb')).toContain('KEY `lease_paths_holder` (`holder`)');
  });

  it('renders every v1 table for both engines', () => {
    for (const def of tablesV1) {
      expect(renderCreateTable(def, 'innodb')).toContain(`\`${def.name}\``);
      expect(renderCreateTable(def, 'ndb')).toContain(`\`${def.name}\``);
    }
  });

  it('quotes string defaults', () => {
    const def: TableDef = {
      name: 't',
      columns: [{ name: 'a', type: { kind: 'varchar', length: 8 }, default: "it's" }],
      primaryKey: ['a'],
    };
    expect(renderCreateTable(def, 'innodb')).toContain("`a` VARCHAR(8) NOT NULL DEFAULT 'it''s'");
  });

  it.each<[string, TableDef]>([
    ['unknown primary key column', { name: 't', columns: [{ name: 'a', type: { kind: 'int' } }], primaryKey: ['b'] }],
    [
      'partitionBy outside the primary key prefix',
      {
        name: 't',
        columns: [
          { name: 'a', type: { kind: 'int' } },
          { name: 'b', type: { kind: 'int' } },
        ],
        primaryKey: ['a', 'b'],
        partitionBy: ['b'],
      },
    ],
    ['a bad identifier', { name: 't;drop', columns: [{ name: 'a', type: { kind: 'int' } }], primaryKey: ['a'] }],
    [
      'NULL default on a NOT NULL column',
      { name: 't', columns: [{ name: 'a', type: { kind: 'int' }, default: null }], primaryKey: ['a'] },
    ],
  ])('rejects %s', (_what, def) => {
    expect(() => renderCreateTable(def, 'ndb')).toThrow();
  });
});
