import { MemberLoss } from '../../cli/fleet/member-loss';

describe('losing a member of the local fleet', () => {
  function fleet(): MemberLoss {
    const loss = new MemberLoss();
    loss.track('mariadb', 'database');
    loss.track('namenode-1', 'namenode');
    loss.track('namenode-2', 'namenode');
    loss.track('haproxy', 'balancer');
    loss.track('datanode-1', 'datanode');
    return loss;
  }

  it('survives a namenode while another one serves, not the last one', () => {
    const loss = fleet();
    expect(loss.lose('namenode-2')).toEqual({ kind: 'namenode', left: 1 });
    expect(loss.lose('namenode-1')).toEqual({ kind: 'namenode', left: 0, fatal: 'no namenode is left' });
    expect(loss.lost).toEqual(['namenode-2', 'namenode-1']);
  });

  it('does not survive the database or the balancer', () => {
    expect(fleet().lose('mariadb').fatal).toBe('the database is gone');
    expect(fleet().lose('haproxy').fatal).toBe('the balancer is gone');
    expect(fleet().lose('datanode-1').fatal).toBe('no datanode is left');
  });
});
