#!/usr/bin/env python3
"""Regenerates the demo inputs of demo/data (deterministic: fixed seed). The files are committed; run this
only to change them. Each file holds rows the monitoring rules should flag and a few malformed rows the
loader must quarantine (see README.md in this folder)."""
import json, random

random.seed(20240630)
W = lambda name, text, enc='utf-8', bom=False: open(name, 'wb').write(((b'\xef\xbb\xbf' if bom else b'') + text.encode(enc)))

W('org-units.csv', """单位编码,单位名称,英文名称,单位类型,上级单位编码
FIN,市财政局,Municipal Finance Bureau,局,
FIN-PROC,政府采购科,Procurement Section,科室,FIN
FIN-TREAS,国库科,Treasury Section,科室,FIN
FIN-DISC,纪检监察室,Discipline Office,纪检监察,FIN
EDU01,市第一中学,No. 1 Middle School,预算单位,FIN
HLT02,市中心医院,Central Hospital,预算单位,FIN
TRN03,市交通运输局,Transport Bureau,预算单位,FIN
""")
W('people.csv', """工号,姓名,是否在编,备注
P0101,王建国,是,分管国库科的副局长
P0102,李秀英,是,国库科科长
P0103,张伟,是,国库科经办人
P0104,刘洋,是,采购科经办人
P0105,陈静,是,采购科科长
P0106,赵志刚,是,2024年4月前分管采购科的副局长
P0107,孙丽,是,纪检监察室主任
""")
W('assignments.csv', """工号,单位编码,职责,任职日期,离任日期
P0101,FIN-TREAS,分管领导,2022-01-01,
P0102,FIN-TREAS,科长,2022-01-01,
P0103,FIN-TREAS,经办人,2022-01-01,
P0105,FIN-PROC,科长,2021-07-01,
P0104,FIN-PROC,经办人,2021-07-01,
P0106,FIN-PROC,分管领导,2022-01-01,2024-04-01
P0101,FIN-PROC,分管领导,2024-04-01,
P0107,FIN-DISC,单位负责人,2023-01-01,
""")
suppliers = [('91330100MA2H0001XA', '杭州文汇办公用品有限公司'), ('91330100MA2H0002XB', '西湖印务有限公司'),
             ('91330100MA2H0003XC', '之江会议服务有限公司'), ('91330100MA2H0004XD', '钱塘物业管理有限公司'),
             ('91330100MA2H0005XE', '浙杭信息技术有限公司'), ('91330100MA2H0006XF', '运河汽车维修有限公司')]
W('parties.csv', '统一社会信用代码,名称,地址,联系人,联系电话,银行账号,是否中小企业\n' +
  ''.join(f'{c},{n},杭州市{["西湖区","上城区","拱墅区"][i % 3]}文三路{10 + i}号,联系人{i},0571-8800{i:04d},6222 0210 0000 {i:04d},{"是" if i % 2 == 0 else "否"}\n'
          for i, (c, n) in enumerate(suppliers)))
W('budget-projects.csv', """项目编码,年度,单位编码,项目名称,品目编码,预算金额,是否专项资金,专项用途
BP-2024-EDU-OFFICE,2024,EDU01,办公设备购置,A02010000,"1,500,000.00",否,
BP-2024-HLT-IT,2024,HLT02,医院信息化运维,C02000000,"3,200,000.00",是,医院信息系统运维
BP-2024-TRN-REPAIR,2024,TRN03,公务车辆维修,C05030000,"600,000.00",否,
""")

methods = ['转账'] * 6 + ['公务卡'] * 3 + ['现金']
types = [('office', '办公用品'), ('printing', '印刷费'), ('meeting', '会议费'), ('property', '物业管理费'), ('repair', '车辆维修费'), ('consulting', '咨询费')]
units = ['EDU01', 'HLT02', 'TRN03']
header = '支付凭证号,付款单位编码,收款人,收款人统一社会信用代码,收款账号,金额（元）,支付方式,支出类型,用途,发票号,预算项目编码,支付日期,经办人,审批人\n'

def payment_rows(prefix, month0, n):
    rows = []
    for i in range(1, n + 1):
        code, name = random.choice(suppliers)
        et, purpose = random.choice(types)
        unit = random.choice(units)
        amount = random.randint(800, 48000) + random.choice([0, 0.5, 0.25, 0.8])
        m = month0 + random.randint(0, 2)
        d = random.randint(1, 28)
        date = random.choice([f'2024-{m:02d}-{d:02d}', f'2024/{m}/{d}', f'2024年{m}月{d}日'])
        proj = {'EDU01': 'BP-2024-EDU-OFFICE', 'HLT02': 'BP-2024-HLT-IT', 'TRN03': 'BP-2024-TRN-REPAIR'}[unit]
        rows.append([f'{prefix}{i:04d}', unit, name, code, '', f'{amount:,.2f}', random.choice(methods), et, purpose,
                     f'{random.randint(10**7, 10**8 - 1)}', proj, date, 'P0103', 'P0102'])
    return rows

def csv_line(r):
    return ','.join('"' + c.replace('"', '""') + '"' if (',' in c or '"' in c or '\n' in c) else c for c in r) + '\n'

q1 = payment_rows('ZF2024Q1-', 1, 120)
# Flags for the rules: a duplicate payment (same payee, amount and invoice, new voucher), cash for
# official-card expense types, round large amounts, and a purchase split under the threshold.
dup = list(q1[7]); dup[0] = 'ZF2024Q1-9001'; q1.append(dup)
q1.append(['ZF2024Q1-9002', 'HLT02', '之江会议服务有限公司', '91330100MA2H0003XC', '', '18,600.00', '现金', 'meeting', '会议费（现金支付）', '55501234', 'BP-2024-HLT-IT', '2024-03-12', 'P0103', 'P0102'])
q1.append(['ZF2024Q1-9003', 'TRN03', '运河汽车维修有限公司', '91330100MA2H0006XF', '', '9,800.00', '现金', 'repair', '车辆维修费', '55501235', 'BP-2024-TRN-REPAIR', '2024-03-13', 'P0103', 'P0102'])
q1.append(['ZF2024Q1-9004', 'EDU01', '浙杭信息技术有限公司', '91330100MA2H0005XE', '', '500,000.00', '转账', 'consulting', '信息化咨询服务', '55501236', 'BP-2024-EDU-OFFICE', '2024-03-15', 'P0103', 'P0101'])
for k in range(5):  # five purchases of the same item just under 400,000 within a month: together above the threshold
    q1.append([f'ZF2024Q1-95{k:02d}', 'EDU01', '杭州文汇办公用品有限公司', '91330100MA2H0001XA', '', f'{398000 - 700 * k:,.2f}', '转账', 'office', '办公设备（第%d批）' % (k + 1),
               f'5560{k:04d}', 'BP-2024-EDU-OFFICE', f'2024-02-{5 + 4 * k:02d}', 'P0103', 'P0102'])
# Malformed rows the loader must quarantine.
q1.append(['ZF2024Q1-9901', 'EDU01', '杭州文汇办公用品有限公司', '', '', '12,3x', '转账', 'office', '金额录入错误', '', '', '2024-03-20', 'P0103', 'P0102'])
q1.append(['ZF2024Q1-9902', 'EDU01', '西湖印务有限公司', '', '', '2,300.00', '转账', 'printing', '日期错误', '', '', '2024-02-30', 'P0103', 'P0102'])
q1.append(['ZF2024Q1-9903', 'XYZ99', '西湖印务有限公司', '', '', '2,300.00', '转账', 'printing', '未知单位', '', '', '2024-03-21', 'P0103', 'P0102'])
q1.append(['ZF2024Q1-9904', 'HLT02', '钱塘物业管理有限公司', '', '', '-4,000.00', '转账', 'property', '负数金额', '', '', '2024-03-22', 'P0103', 'P0102'])
W('payments-2024Q1.csv', header + ''.join(csv_line(r) for r in q1) + 'ZF2024Q1-9905,EDU01,少列的行\n', bom=True)

q2 = payment_rows('ZF2024Q2-', 4, 100)
q2.append(['ZF2024Q2-9001', 'HLT02', '之江会议服务有限公司', '91330100MA2H0003XC', '', '26,400.00', '现金', 'meeting', '培训会议费', '66601234', 'BP-2024-HLT-IT', '2024年5月8日', 'P0103', 'P0102'])
dup = list(q2[3]); dup[0] = 'ZF2024Q2-9002'; q2.append(dup)
q2.append(['ZF2024Q2-9003', 'TRN03', '运河汽车维修有限公司', '91330100MA2H0006XF', '', '100,000.00', '转账', 'repair', '车辆大修', '66601235', 'BP-2024-TRN-REPAIR', '2024/6/3', 'P0103', 'P0101'])
q2.append(['ZF2024Q2-9901', 'EDU01', '杭州文汇办公用品有限公司', '', '', '1,000,000,000,000,000.00', '转账', 'office', '金额溢出', '', '', '2024-05-20', 'P0103', 'P0102'])
q2.append(['ZF2024Q2-0004', 'EDU01', '重复的凭证号', '', '', '100.00', '转账', 'office', '同一文件内重复', '', '', '2024-05-21', 'P0103', 'P0102'])
W('payments-2024Q2-gb18030.csv', header + ''.join(csv_line(r) for r in q2), enc='gb18030')

def release(ocid, title, method, value, tenderers, winner_amount, start, end, buyer='EDU01'):
    bids = [{'id': f'{ocid}-bid-{i + 1}', 'status': 'valid', 'date': start[:10] + 'T09:00:00+08:00',
             'value': {'amount': amt, 'currency': 'CNY'}, 'tenderers': [{'id': c, 'name': n}]} for i, ((c, n), amt) in enumerate(tenderers)]
    win = tenderers[0][0]
    return {'ocid': ocid, 'id': ocid + '-compiled', 'date': end, 'tag': ['compiled'], 'initiationType': 'tender',
            'parties': [{'id': 'CN-EDU01', 'name': '市第一中学', 'identifier': {'scheme': 'CN-USCC', 'id': '12330100470000001X'}, 'roles': ['buyer']}] +
                       [{'id': c, 'name': n, 'identifier': {'scheme': 'CN-USCC', 'id': c}, 'roles': ['tenderer']} for (c, n), _ in tenderers],
            'buyer': {'id': 'CN-EDU01', 'name': '市第一中学'},
            'tender': {'id': ocid, 'title': title, 'status': 'complete', 'procurementMethod': method,
                       'procurementMethodDetails': {'open': '公开招标', 'limited': '竞争性磋商', 'direct': '单一来源'}[method],
                       'mainProcurementCategory': 'goods', 'value': {'amount': value, 'currency': 'CNY'},
                       'tenderPeriod': {'startDate': start, 'endDate': end}, 'numberOfTenderers': len(tenderers),
                       'items': [{'id': 1, 'classification': {'scheme': 'CN-GPC', 'id': 'A02010000'}}]},
            'bids': {'details': bids},
            'awards': [{'id': ocid + '-award-1', 'status': 'active', 'date': end, 'value': {'amount': winner_amount, 'currency': 'CNY'},
                        'suppliers': [{'id': win, 'name': tenderers[0][1]}]}],
            'contracts': [{'id': ocid + '-contract-1', 'awardID': ocid + '-award-1', 'status': 'active', 'value': {'amount': winner_amount, 'currency': 'CNY'},
                           'dateSigned': end[:10] + 'T00:00:00+08:00'}]}

lines = [
    release('ocds-demo-2024-0001', '教学用计算机采购', 'open', 1200000, [(suppliers[4], 1150000), (suppliers[0], 1180000), (suppliers[1], 1190000)], 1150000,
            '2024-03-01T09:00:00+08:00', '2024-03-25T09:30:00+08:00'),
    # a single bid, and a tender period of 8 days
    release('ocds-demo-2024-0002', '校园安防系统升级', 'open', 880000, [(suppliers[4], 879000)], 879000, '2024-04-01T09:00:00+08:00', '2024-04-09T09:30:00+08:00'),
    # identical bid prices from two tenderers sharing an address
    release('ocds-demo-2024-0003', '办公家具采购', 'limited', 390000, [(suppliers[0], 385000), (suppliers[1], 386000), (suppliers[2], 386000)], 385000,
            '2024-05-06T09:00:00+08:00', '2024-05-20T09:30:00+08:00'),
    release('ocds-demo-2024-0004', '教学软件续费', 'direct', 150000, [(suppliers[4], 150000)], 150000, '2024-06-03T09:00:00+08:00', '2024-06-05T09:30:00+08:00'),
]
text = ''.join(json.dumps(l, ensure_ascii=False) + '\n' for l in lines)
text += '{"ocid": "ocds-demo-2024-0005", "tender": {"title": "截断的记录"\n'          # invalid JSON: quarantined
text += json.dumps({'id': 'no-ocid', 'tender': {'title': '缺少 ocid 的发布'}}, ensure_ascii=False) + '\n'  # no ocid: quarantined
W('procurement-ocds.jsonl', text)
W('calendar-2027.csv', """日期,类型,节日,英文名称
2027-01-01,放假,元旦,New Year's Day
2027-02-06,放假,春节,Spring Festival
2027-02-07,放假,春节,Spring Festival
2027-02-08,放假,春节,Spring Festival
2027-02-20,调休上班,春节调休上班,Spring Festival (moved working day)
""")
