<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>IncidentAlerts</name>
    <message>
        <location filename="../../model/incidents/alerts.cpp" line="+162"/>
        <source>Resolved</source>
        <translation>已解决</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Critical</source>
        <translation>严重</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: %2</source>
        <comment>severity: incident title</comment>
        <translation>%1：%2</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>since %1</source>
        <translation>自 %1 起</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 to %2 (%3)</source>
        <translation>%1 至 %2（%3）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>1 event</source>
        <translation>1 个事件</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 events</source>
        <translation>%1 个事件</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <location filename="../../app/gui.cpp" line="+52"/>
        <source>The demo&apos;s journal is about to be deleted with the demo topology:
%1</source>
        <translation>演示日志即将随演示拓扑一同删除：
%1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Keep a copy to export or read later (vigil export --journal FILE)?</source>
        <translation>保留一份副本，以便日后导出或查看（vigil export --journal FILE）？</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Keep the demo&apos;s journal</source>
        <translation>保留演示日志</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Vigil journals (*.sqlite)</source>
        <translation>Vigil 日志 (*.sqlite)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Could not write %1</source>
        <translation>无法写入 %1</translation>
    </message>
    <message>
        <location line="+93"/>
        <source>cannot start the demo topology: %1</source>
        <translation>无法启动演示拓扑：%1</translation>
    </message>
</context>
<context>
    <name>vigil</name>
    <message>
        <location filename="../../widgets/desktopnotifications.cpp" line="+48"/>
        <source>no D-Bus session bus</source>
        <translation>没有 D-Bus 会话总线</translation>
    </message>
</context>
<context>
    <name>vigil::DesktopNotifications</name>
    <message>
        <location line="+25"/>
        <source>Show</source>
        <translation>显示</translation>
    </message>
</context>
<context>
    <name>vigil::EventFilterModel</name>
    <message numerus="yes">
        <location filename="../../model/journal/eventmodel.cpp" line="+284"/>
        <source>▾ %n step(s) shown: </source>
        <translation>
            <numerusform>▾ 已显示 %n 个步骤：</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>▸ %n step(s) (Enter shows them): </source>
        <translation>
            <numerusform>▸ %n 个步骤（按 Enter 显示）：</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>vigil::EventModel</name>
    <message>
        <location line="-60"/>
        <source>Time (UTC)</source>
        <translation>时间（UTC）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Time (local, UTC%1%2:%3)</source>
        <translation>时间（本地，UTC%1%2:%3）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Severity</source>
        <translation>严重级别</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Message</source>
        <translation>消息</translation>
    </message>
</context>
<context>
    <name>vigil::EventsPanel</name>
    <message>
        <location filename="../../widgets/eventspanel.cpp" line="+50"/>
        <source>Filter by text (kind, source, message)</source>
        <translation>按文本筛选（类型、来源、消息）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>All severities</source>
        <translation>所有级别</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Warning and above</source>
        <translation>警告及以上</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Critical only</source>
        <translation>仅严重</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>All kinds</source>
        <translation>所有类型</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>UTC</source>
        <translation>UTC</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show times in UTC (otherwise in local time)</source>
        <translation>以 UTC 显示时间（否则使用本地时间）</translation>
    </message>
    <message>
        <location line="+67"/>
        <source>Show Event…</source>
        <translation>显示事件…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Copy as JSON Lines</source>
        <translation>复制为 JSON Lines</translation>
    </message>
    <message>
        <location line="+67"/>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
</context>
<context>
    <name>vigil::FleetOverview</name>
    <message>
        <location filename="../../widgets/fleetoverview.cpp" line="+75"/>
        <source>no master</source>
        <translation>无主节点</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>master %1</source>
        <translation>主节点 %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1/%2 replicas</source>
        <translation>%1/%2 个副本</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>lag %1</source>
        <translation>延迟 %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>never saved</source>
        <translation>从未保存</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>saved %1</source>
        <translation>保存于 %1</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n incident(s)</source>
        <translation>
            <numerusform>%n 个事故</numerusform>
        </translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Problems only</source>
        <translation>仅显示问题</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Filter groups by name or address (Ctrl+F)</source>
        <translation>按名称或地址筛选组（Ctrl+F）</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>All groups</source>
        <translation>所有组</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show every group in the diagram</source>
        <translation>在图中显示所有组</translation>
    </message>
    <message numerus="yes">
        <location line="+100"/>
        <source>%n group(s)</source>
        <translation>
            <numerusform>%n 个组</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>, %1 critical</source>
        <translation>，%1 个严重</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>, %1 warning</source>
        <translation>，%1 个警告</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> (%1 shown)</source>
        <translation>（显示 %1 个）</translation>
    </message>
    <message>
        <location filename="../../model/monitor/fleet.cpp" line="+24"/>
        <source>replication</source>
        <translation>复制</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>sentinel</source>
        <translation>Sentinel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cluster shard</source>
        <translation>集群分片</translation>
    </message>
    <message>
        <location line="+91"/>
        <source>no master answers</source>
        <translation>没有主节点应答</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 of %2 replicas not linked</source>
        <translation>%2 个副本中有 %1 个未连接</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>split brain: %1 takes writes too</source>
        <translation>脑裂：%1 也在接受写入</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 open incident(s)</source>
        <translation>%1 个进行中的事故</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>sentinel %1 unreachable</source>
        <translation>Sentinel %1 不可达</translation>
    </message>
</context>
<context>
    <name>vigil::Health</name>
    <message>
        <location filename="../../model/monitor/topologygraph.cpp" line="+319"/>
        <source>ok</source>
        <translation>正常</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>critical</source>
        <translation>严重</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>unreachable</source>
        <translation>不可达</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+52"/>
        <source>unreachable: %1</source>
        <translation>不可达：%1</translation>
    </message>
    <message>
        <location line="-50"/>
        <source>former master of this group: %1</source>
        <translation>此组的原主节点：%1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>replication cycle %1: no master, no writes</source>
        <translation>复制环 %1：没有主节点，无法写入</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>split brain: a stale master accepting writes (%1 client(s)); %2</source>
        <translation>脑裂：过期主节点仍在接受写入（%1 个客户端）；%2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>says it is master, but %1</source>
        <translation>自称主节点，但 %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+40"/>
        <source>not polled yet</source>
        <translation>尚未轮询</translation>
    </message>
    <message>
        <location line="-36"/>
        <source>loading its dataset</source>
        <translation>正在加载数据集</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>replication link %1</source>
        <translation>复制链路 %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>nothing from its master for %1 s</source>
        <translation>已 %1 s 未收到主节点的数据</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>full sync in progress</source>
        <translation>正在全量同步</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 bytes behind its master</source>
        <translation>落后主节点 %1 字节</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>last ACK %1 s ago</source>
        <translation>最近一次 ACK 在 %1 s 前</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>failover: %1</source>
        <translation>故障转移：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>last background save failed</source>
        <translation>最近一次后台保存失败</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>AOF write failing</source>
        <translation>AOF 写入失败</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>marked failed by the cluster</source>
        <translation>被集群标记为失败</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>suspected by the cluster</source>
        <translation>被集群怀疑故障</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>%1: master objectively down</source>
        <translation>%1：主节点客观下线</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1: master subjectively down</source>
        <translation>%1：主节点主观下线</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1: failover %2</source>
        <translation>%1：故障转移 %2</translation>
    </message>
</context>
<context>
    <name>vigil::HeartbeatsPanel</name>
    <message>
        <location filename="../../widgets/heartbeatspanel.cpp" line="+32"/>
        <source>Filter nodes by name or state</source>
        <translation>按名称或状态筛选节点</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>No heartbeats yet</source>
        <translation>尚无心跳</translation>
    </message>
    <message numerus="yes">
        <location line="+13"/>
        <source>%n node(s): %1 up</source>
        <translation>
            <numerusform>%n 个节点：%1 个在线</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>, %1 down</source>
        <translation>，%1 个离线</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>, %1 suspect or unknown</source>
        <translation>，%1 个可疑或未知</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> · %1 malformed</source>
        <translation> · %1 条格式错误</translation>
    </message>
</context>
<context>
    <name>vigil::HelpWindow</name>
    <message>
        <location filename="../../widgets/helpwindow.cpp" line="+100"/>
        <source>Vigil User Guide</source>
        <translation>Vigil 用户指南</translation>
    </message>
    <message>
        <location line="+119"/>
        <source>Incident timeline: next event</source>
        <translation>事故时间线：下一个事件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Incident timeline: previous event</source>
        <translation>事故时间线：上一个事件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Incident timeline: fit the incident</source>
        <translation>事故时间线：缩放以显示整个事故</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Enter</source>
        <translation>Enter</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Incident members: show the event in the Events panel</source>
        <translation>事故成员：在“事件”面板中显示该事件</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Keyboard Shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Keys</source>
        <translation>按键</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>What they do</source>
        <translation>作用</translation>
    </message>
</context>
<context>
    <name>vigil::IncidentModel</name>
    <message>
        <location filename="../../model/incidents/incidentmodel.cpp" line="+114"/>
        <source>open</source>
        <translation>进行中</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>resolved</source>
        <translation>已解决</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Severity</source>
        <translation>严重级别</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Opened (UTC)</source>
        <translation>开始时间（UTC）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Opened (%1)</source>
        <translation>开始时间（%1）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Duration</source>
        <translation>持续时间</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Scope</source>
        <translation>范围</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Events</source>
        <translation>事件</translation>
    </message>
</context>
<context>
    <name>vigil::IncidentTimeline</name>
    <message>
        <location filename="../../widgets/incidenttimeline.cpp" line="+123"/>
        <source>T+ from the start</source>
        <translation>自开始起的 T+</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+222"/>
        <source>UTC</source>
        <translation>UTC</translation>
    </message>
    <message>
        <location line="-221"/>
        <source>Local time</source>
        <translation>本地时间</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How the time axis is labelled</source>
        <translation>时间轴的标注方式</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Select an incident to see its timeline.</source>
        <translation>选择一个事故以查看其时间线。</translation>
    </message>
    <message>
        <location line="+184"/>
        <source>T+ from the start, %1</source>
        <translation>自开始起的 T+，%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>local time (%1)</source>
        <translation>本地时间（%1）</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Started %1. Root: %2. Hover a marker for what it is; drag or wheel to pan and zoom; N / P: next or previous event; F: fit.</source>
        <translation>开始于 %1。根因：%2。将鼠标悬停在标记上可查看其含义；拖动或滚动滚轮可平移和缩放；N / P：下一个或上一个事件；F：适应全部。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>none found</source>
        <translation>未找到</translation>
    </message>
    <message>
        <location line="+3"/>
        <source> Lanes for %1 of %2 sources (the first to join, and the root&apos;s); the member list holds them all.</source>
        <translation>仅为 %2 个来源中的 %1 个显示泳道（最先加入的及根因所在的）；成员列表包含全部来源。</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>%1 (%2) on %3</source>
        <comment>kind (severity) on source</comment>
        <translation>%3 上的 %1（%2）</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n time(s) in all</source>
        <translation>
            <numerusform>共 %n 次</numerusform>
        </translation>
    </message>
    <message>
        <location line="+3"/>
        <source>symptom of %1 on %2 (%3)</source>
        <translation>%2 上 %1 的症状（%3）</translation>
    </message>
</context>
<context>
    <name>vigil::IncidentsPanel</name>
    <message>
        <location filename="../../widgets/incidentspanel.cpp" line="+55"/>
        <source>Add &amp;note...</source>
        <translation>添加备注(&amp;N)...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export &amp;report...</source>
        <translation>导出报告(&amp;R)...</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>T+</source>
        <translation>T+</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Time (UTC)</source>
        <translation>时间（UTC）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Severity</source>
        <translation>严重级别</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Event</source>
        <translation>事件</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Cause</source>
        <translation>原因</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Write a note on the selected incident: what was seen, tried or decided</source>
        <translation>为所选事故写一条备注：看到了什么、尝试了什么或决定了什么</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This journal is open read-only</source>
        <translation>此日志以只读方式打开</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Timeline</source>
        <translation>时间线</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Members</source>
        <translation>成员</translation>
    </message>
    <message>
        <location line="+146"/>
        <source>No incidents: every warning and critical event opens or joins one.</source>
        <translation>没有事故：每个警告和严重事件都会开启或并入一个事故。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Select an incident.</source>
        <translation>请选择一个事故。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;%2 %3; probable root cause: %4</source>
        <translation>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;%2 %3；可能的根因：%4</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open for</source>
        <translation>已持续</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Resolved after</source>
        <translation>解决用时</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>none found</source>
        <translation>未找到</translation>
    </message>
    <message>
        <location line="+5"/>
        <source> (x%1)</source>
        <translation>（x%1）</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>Note on incident %1</source>
        <translation>事故 %1 的备注</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>What was seen, tried or decided</source>
        <translation>看到了什么、尝试了什么或决定了什么</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>When it happened: at the timeline&apos;s cursor, now, or any time typed here</source>
        <translation>发生时间：时间线光标处、现在，或在此输入的任意时间</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Now</source>
        <translation>现在</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>At the cursor</source>
        <translation>光标处</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Choose an event on the timeline first</source>
        <translation>请先在时间线上选择一个事件</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Note:</source>
        <translation>备注：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Time:</source>
        <translation>时间：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Marks:</source>
        <translation>标记：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Author:</source>
        <translation>作者：</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>no incident selected</source>
        <translation>未选择事故</translation>
    </message>
    <message>
        <location line="+27"/>
        <location line="+6"/>
        <source>Export incident report</source>
        <translation>导出事故报告</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>HTML page (*.html);;Markdown (*.md);;JSON (*.json)</source>
        <translation>HTML 页面 (*.html);;Markdown (*.md);;JSON (*.json)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The report could not be written: %1</source>
        <translation>无法写入报告：%1</translation>
    </message>
</context>
<context>
    <name>vigil::JournalWindow</name>
    <message>
        <location filename="../../widgets/journalwindow.cpp" line="+52"/>
        <source>Vigil — %1 (read-only)</source>
        <translation>Vigil — %1（只读）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Incidents</source>
        <translation>事故</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Events</source>
        <translation>事件</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Close</source>
        <translation>关闭(&amp;C)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 events%2, %3 incidents%4; read-only, no server connected</source>
        <translation>%1 个事件%2，%3 个事故%4；只读，未连接服务器</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> (the newest)</source>
        <translation>（最新的）</translation>
    </message>
</context>
<context>
    <name>vigil::LatencyChart</name>
    <message>
        <location filename="../../widgets/latencychart.cpp" line="+34"/>
        <source>Live</source>
        <translation>实时</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Heartbeat latency</source>
        <translation>心跳延迟</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Last 5 minutes</source>
        <translation>最近 5 分钟</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last hour</source>
        <translation>最近 1 小时</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last 24 hours</source>
        <translation>最近 24 小时</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Everything</source>
        <translation>全部</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Follow new beats; dragging or zooming the chart pauses it</source>
        <translation>跟随新心跳；拖动或缩放图表会暂停跟随</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>latency (ms)</source>
        <translation>延迟 (ms)</translation>
    </message>
    <message>
        <location line="+139"/>
        <source>(first %1 of %2 nodes: select rows to choose)</source>
        <translation>（%2 个节点中的前 %1 个：选择行以指定）</translation>
    </message>
</context>
<context>
    <name>vigil::MainWindow</name>
    <message>
        <location filename="../../widgets/mainwindow.cpp" line="+76"/>
        <source>Vigil — demo topology</source>
        <translation>Vigil — 演示拓扑</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vigil</source>
        <translation>Vigil</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+27"/>
        <source>Vigil — %1</source>
        <translation>Vigil — %1</translation>
    </message>
    <message>
        <location line="-22"/>
        <source>Topology</source>
        <translation>拓扑</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Heartbeats</source>
        <translation>心跳</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Services</source>
        <translation>服务</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Targets</source>
        <translation>目标</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Events</source>
        <translation>事件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Incidents</source>
        <translation>事故</translation>
    </message>
    <message>
        <location line="+99"/>
        <source>&amp;Mute Notifications for 1 Hour</source>
        <translation>通知静音 1 小时(&amp;M)</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Targets…</source>
        <translation>目标(&amp;T)…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Open &amp;Profile…</source>
        <translation>打开配置方案(&amp;P)…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Save Profile As…</source>
        <translation>配置方案另存为(&amp;S)…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Open Journal…</source>
        <translation>打开日志(&amp;O)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Export Events…</source>
        <translation>导出事件(&amp;E)…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Next Problem</source>
        <translation>下一个问题(&amp;N)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Previous Problem</source>
        <translation>上一个问题(&amp;P)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Find</source>
        <translation>查找(&amp;F)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Theme</source>
        <translation>主题(&amp;T)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;System</source>
        <translation>跟随系统(&amp;S)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Light</source>
        <translation>浅色(&amp;L)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Dark</source>
        <translation>深色(&amp;D)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;User Guide</source>
        <translation>用户指南(&amp;U)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Keyboard Shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What Vigil &amp;Sends</source>
        <translation>Vigil 向服务器发送的内容(&amp;S)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;About Vigil</source>
        <translation>关于 Vigil(&amp;A)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>About &amp;Qt</source>
        <translation>关于 Qt(&amp;Q)</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Every group is healthy</source>
        <translation>所有组均健康</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>No targets: add one with File → Targets</source>
        <translation>没有目标：请通过“文件 → 目标”添加</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 of %2 targets connected</source>
        <translation>已连接 %1/%2 个目标</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 of %2 servers reachable</source>
        <translation>%1/%2 台服务器可达</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source> · %n group(s), all healthy</source>
        <translation>
            <numerusform> · %n 个组，全部健康</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source> · %1 of %2 groups degraded</source>
        <translation> · %2 个组中有 %1 个降级</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source> · %n node(s) down</source>
        <translation>
            <numerusform> · %n 个节点离线</numerusform>
        </translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No open incident</source>
        <translation>没有进行中的事故</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>1 incident open</source>
        <translation>1 个事故进行中</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 incidents open</source>
        <translation>%1 个事故进行中</translation>
    </message>
    <message>
        <location line="+3"/>
        <source> · notifications muted until %1</source>
        <translation> · 通知已静音至 %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Journal: %1</source>
        <translation>日志：%1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>not open</source>
        <translation>未打开</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Journal NOT WRITING: events wait in memory and are retried every second (hover for why)</source>
        <translation>日志未能写入：事件暂存于内存中，每秒重试一次（悬停查看原因）</translation>
    </message>
    <message>
        <location line="+29"/>
        <location line="+8"/>
        <source>Save Profile As</source>
        <translation>配置方案另存为</translation>
    </message>
    <message>
        <location line="-7"/>
        <source>Save what this window watches (targets, sentinels, heartbeat channels, services, TLS files, poll period, incident settings; no password) as the profile:</source>
        <translation>将此窗口监视的内容（目标、Sentinel、心跳频道、服务、TLS 文件、轮询周期、事故设置；不含密码）保存为配置方案：</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>A profile %1 exists. Replace it?</source>
        <translation>配置方案 %1 已存在。要替换它吗？</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Open Profile</source>
        <translation>打开配置方案</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Vigil could not be started on the profile %1.</source>
        <translation>无法以配置方案 %1 启动 Vigil。</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+9"/>
        <source>Open Journal</source>
        <translation>打开日志</translation>
    </message>
    <message>
        <location line="-9"/>
        <source>Vigil journals (*.sqlite);;All files (*)</source>
        <translation>Vigil 日志 (*.sqlite);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1 cannot be read: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <location line="+13"/>
        <location line="+5"/>
        <location line="+14"/>
        <location line="+5"/>
        <source>Export Events</source>
        <translation>导出事件</translation>
    </message>
    <message>
        <location line="-24"/>
        <source>The events could not be read: %1</source>
        <translation>无法读取事件：%1</translation>
    </message>
    <message numerus="yes">
        <location line="+6"/>
        <source>The Events panel shows %n event(s) of the journal&apos;s %1.</source>
        <translation>
            <numerusform>“事件”面板显示了日志中 %1 个事件中的 %n 个。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Export What Is Shown</source>
        <translation>导出显示的事件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export Everything</source>
        <translation>全部导出</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>JSON Lines (*.jsonl);;CSV (*.csv)</source>
        <translation>JSON Lines (*.jsonl);;CSV (*.csv)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The events could not be exported: %1</source>
        <translation>无法导出事件：%1</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>Exported %n event(s) to %1</source>
        <translation>
            <numerusform>已将 %n 个事件导出到 %1</numerusform>
        </translation>
    </message>
    <message>
        <location line="+5"/>
        <source>About Vigil</source>
        <translation>关于 Vigil</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&lt;h3&gt;Vigil %1&lt;/h3&gt;&lt;p&gt;Watches Redis heartbeats and replication from an operator&apos;s workstation, and keeps a journal of what happened for the incident report.&lt;/p&gt;&lt;p&gt;Built with Qt %2, QCustomPlot and hiredis.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Vigil %1&lt;/h3&gt;&lt;p&gt;在运维人员的工作站上监视 Redis 心跳与复制状态，并记录所发生事件的日志，供事故报告使用。&lt;/p&gt;&lt;p&gt;基于 Qt %2、QCustomPlot 和 hiredis 构建。&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Unfinished promotion</source>
        <translation>未完成的提升</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>&lt;p&gt;The journal holds %n promotion(s) that never ended: the Vigil running them stopped mid-way.&lt;/p&gt;&lt;p&gt;%1&lt;/p&gt;&lt;p&gt;Writes paused by it have resumed by themselves. To restore what it changed and leave one master, run:&lt;/p&gt;&lt;pre&gt;vigil recover --journal %2&lt;/pre&gt;&lt;p&gt;It shows what it finds and asks before changing anything.&lt;/p&gt;</source>
        <translation>
            <numerusform>&lt;p&gt;日志中有 %n 次提升操作从未结束：执行它们的 Vigil 在中途停止了。&lt;/p&gt;&lt;p&gt;%1&lt;/p&gt;&lt;p&gt;被其暂停的写入已自行恢复。要还原它所做的更改并只保留一个主节点，请运行：&lt;/p&gt;&lt;pre&gt;vigil recover --journal %2&lt;/pre&gt;&lt;p&gt;该命令会显示发现的情况，并在做出任何更改前先征求确认。&lt;/p&gt;</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>vigil::NodeModel</name>
    <message>
        <location filename="../../model/heartbeat/nodemodel.cpp" line="+258"/>
        <source> (flapping)</source>
        <translation>（震荡）</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+1"/>
        <source>clock skew</source>
        <translation>时钟偏差</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>%1: %2 beats via %3</source>
        <translation>%1：经由 %3 收到 %2 次心跳</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>, role %1</source>
        <translation>，角色 %1</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>, %n restart(s)</source>
        <translation>
            <numerusform>，重启 %n 次</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>
Its beats come through a server Vigil cannot reach: the node itself may be fine.</source>
        <translation>
其心跳经由一台 Vigil 无法访问的服务器传递：节点本身可能正常。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>
Its clock differs from this machine&apos;s: latency is not shown.</source>
        <translation>
其时钟与本机不一致：不显示延迟。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>
It keeps going silent and coming back: its state changes are summarised, not journalled.</source>
        <translation>
它反复静默又恢复：其状态变化仅作汇总，不逐条记入日志。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Node</source>
        <translation>节点</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last beat</source>
        <translation>最后心跳</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Latency p50</source>
        <translation>延迟 p50</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>p99</source>
        <translation>p99</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Interval</source>
        <translation>间隔</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Jitter</source>
        <translation>抖动</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lost</source>
        <translation>丢失</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Phi</source>
        <translation>Phi</translation>
    </message>
</context>
<context>
    <name>vigil::NotificationBanner</name>
    <message>
        <location filename="../../widgets/notificationbanner.cpp" line="+19"/>
        <source>Show Incident</source>
        <translation>显示事故</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Dismiss</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>vigil::PasswordDialog</name>
    <message>
        <location filename="../../widgets/passworddialog.cpp" line="+20"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 refused the password it was given. Its password:</source>
        <translation>%1 拒绝了所提供的密码。请输入其密码：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 answers only with a password. Its password:</source>
        <translation>%1 需要密码，请输入密码：</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Remember it in the desktop keyring</source>
        <translation>在桌面密钥环中记住</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save these targets as a profile (File &gt; Save Profile As) to remember their passwords.</source>
        <translation>将这些目标保存为配置方案（文件 &gt; 配置方案另存为）后即可记住其密码。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Remember it in the desktop keyring (profile %1)</source>
        <translation>在桌面密钥环中记住（配置方案 %1）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Connect</source>
        <translation>连接</translation>
    </message>
</context>
<context>
    <name>vigil::ProfileSession</name>
    <message>
        <location filename="../../widgets/profilesession.cpp" line="+78"/>
        <source>Profile</source>
        <translation>配置方案</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+8"/>
        <source>The profile %1 could not be saved: %2</source>
        <translation>无法保存配置方案 %1：%2</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Save Profile</source>
        <translation>保存配置方案</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>Passwords</source>
        <translation>密码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vigil cannot remember passwords: the desktop keyring (Secret Service) is not available (%1). It asks for them when a server requires one.</source>
        <translation>Vigil 无法记住密码：桌面密钥环（Secret Service）不可用（%1）。服务器需要密码时，Vigil 会询问。</translation>
    </message>
</context>
<context>
    <name>vigil::ProfilesDialog</name>
    <message>
        <location filename="../../widgets/profilesdialog.cpp" line="+25"/>
        <source>&amp;Open</source>
        <translation>打开(&amp;O)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Delete</source>
        <translation>删除(&amp;D)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Export…</source>
        <translation>导出(&amp;E)…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Profiles</source>
        <translation>配置方案</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Import…</source>
        <translation>导入(&amp;I)…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A profile holds the targets, sentinels, heartbeat channels, services, TLS files, poll period and incident settings; never a password. Opening another one restarts Vigil on it.</source>
        <translation>配置方案包含目标、Sentinel、心跳频道、服务、TLS 文件、轮询周期和事故设置，从不包含密码。打开另一个配置方案会以它重新启动 Vigil。</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Delete Profile</source>
        <translation>删除配置方案</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Delete the profile %1?</source>
        <translation>删除配置方案 %1？</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Import Profile</source>
        <translation>导入配置方案</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Vigil profiles (*.json);;All files (*)</source>
        <translation>Vigil 配置方案 (*.json);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Export Profile</source>
        <translation>导出配置方案</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vigil profiles (*.json)</source>
        <translation>Vigil 配置方案 (*.json)</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>%1 (open)</source>
        <translation>%1（已打开）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>No profile is saved yet: File &gt; Save Profile As saves what this window watches.</source>
        <translation>尚未保存任何配置方案：“文件 &gt; 配置方案另存为”可保存此窗口监视的内容。</translation>
    </message>
    <message>
        <location line="+17"/>
        <location line="+8"/>
        <source>Not imported: %1</source>
        <translation>未导入：%1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Imported %1.</source>
        <translation>已导入 %1。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Imported as %1 (a profile %2 exists).</source>
        <translation>已导入为 %1（配置方案 %2 已存在）。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Not exported: %1</source>
        <translation>未导出：%1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Exported %1 to %2 (without passwords).</source>
        <translation>已将 %1 导出到 %2（不含密码）。</translation>
    </message>
</context>
<context>
    <name>vigil::PromoteDialog</name>
    <message>
        <location filename="../../widgets/promotedialog.cpp" line="+42"/>
        <source>Check</source>
        <translation>检查项</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pre-flight checks</source>
        <translation>预检</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Node</source>
        <translation>节点</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Command</source>
        <translation>命令</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Timeout</source>
        <translation>超时</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>I have read the warnings and want to proceed</source>
        <translation>我已阅读警告并希望继续</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Promote</source>
        <translation>提升</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Abort</source>
        <translation>中止</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Promote %1</source>
        <translation>提升 %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Checking %1 and the servers around it…</source>
        <translation>正在检查 %1 及其周围的服务器…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>why (kept in the journal)</source>
        <translation>原因（将记入日志）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>type the address above</source>
        <translation>输入上面的地址</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Type &lt;b&gt;%1&lt;/b&gt; to confirm:</source>
        <translation>输入 &lt;b&gt;%1&lt;/b&gt; 以确认：</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Stop and roll back; possible until the point of no return</source>
        <translation>停止并回滚；在不可回退点之前均可执行</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Reason:</source>
        <translation>原因：</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Plan</source>
        <translation>计划</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Aborting: rolling back before the next step…</source>
        <translation>正在中止：在下一步之前回滚…</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>running…</source>
        <translation>运行中…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>FAILED</source>
        <translation>失败</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>&lt;b&gt;Done.&lt;/b&gt; %1&lt;br&gt;Verified:&lt;br&gt;%2</source>
        <translation>&lt;b&gt;完成。&lt;/b&gt;%1&lt;br&gt;已验证：&lt;br&gt;%2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&lt;b&gt;Refused.&lt;/b&gt; %1</source>
        <translation>&lt;b&gt;已拒绝。&lt;/b&gt;%1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&lt;b&gt;%1.&lt;/b&gt; %2&lt;br&gt;Rollback: %3</source>
        <translation>&lt;b&gt;%1。&lt;/b&gt;%2&lt;br&gt;回滚：%3</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Aborted</source>
        <translation>已中止</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>&lt;b&gt;%1&lt;/b&gt; (master %2) by &lt;b&gt;%3&lt;/b&gt;: %4</source>
        <translation>&lt;b&gt;%1&lt;/b&gt;（主节点 %2）通过 &lt;b&gt;%3&lt;/b&gt;：%4</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Expected data loss: &lt;b&gt;none&lt;/b&gt;</source>
        <translation>预计数据丢失：&lt;b&gt;无&lt;/b&gt;</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Expected data loss: &lt;b&gt;unknown&lt;/b&gt; (the master&apos;s last offset was never seen)</source>
        <translation>预计数据丢失：&lt;b&gt;未知&lt;/b&gt;（从未见到主节点的最新偏移量）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Expected data loss: &lt;b&gt;up to %1&lt;/b&gt; (the candidate&apos;s last known gap)</source>
        <translation>预计数据丢失：&lt;b&gt;最多 %1&lt;/b&gt;（候选节点最近已知的差距）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Pre-flight checks: %1 pass, %2 warn, %3 fail</source>
        <translation>预检：%1 项通过，%2 项警告，%3 项失败</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>   ← point of no return</source>
        <translation>   ← 不可回退点</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&lt;b&gt;Refused:&lt;/b&gt; a check failed; nothing will be changed.</source>
        <translation>&lt;b&gt;已拒绝：&lt;/b&gt;有检查项未通过；不会做任何更改。</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Running…</source>
        <translation>运行中…</translation>
    </message>
</context>
<context>
    <name>vigil::ServiceMemberModel</name>
    <message>
        <location filename="../../model/services/servicemodel.cpp" line="+236"/>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Node</source>
        <translation>节点</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Readiness</source>
        <translation>就绪状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Epoch</source>
        <translation>纪元</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Through</source>
        <translation>经由</translation>
    </message>
</context>
<context>
    <name>vigil::ServiceModel</name>
    <message>
        <location line="-235"/>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>A primary beats and a standby is ready to take over.</source>
        <translation>主用节点有心跳，且有备用节点随时可以接管。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A primary beats but no standby does: no redundancy is left.</source>
        <translation>主用节点有心跳，但没有备用节点有心跳：已无冗余。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No primary beats: the service is not served.</source>
        <translation>没有主用节点在发送心跳：服务当前无人提供。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Two or more nodes claim to be primary at once.</source>
        <translation>有两个或更多节点同时声称自己是主用节点。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>not beating</source>
        <translation>无心跳</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>not heard yet</source>
        <translation>尚未收到</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>late</source>
        <translation>迟到</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>active</source>
        <translation>活动</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>beating, not a standby</source>
        <translation>有心跳，但不是备用节点</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>last beat %1 ago</source>
        <translation>最后心跳于 %1 前</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>latency %1 ms</source>
        <translation>延迟 %1 ms</translation>
    </message>
    <message>
        <location line="+71"/>
        <location line="+27"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>none yet</source>
        <translation>尚无</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 → %2 at %3</source>
        <translation>%1 → %2，于 %3</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 (arrival)</source>
        <translation>%1（按到达时间）</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Service</source>
        <translation>服务</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Primary</source>
        <translation>主用</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Standbys</source>
        <translation>备用</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last takeover</source>
        <translation>最近接管</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Gap</source>
        <translation>间隙</translation>
    </message>
</context>
<context>
    <name>vigil::ServicesPanel</name>
    <message>
        <location filename="../../widgets/servicespanel.cpp" line="+66"/>
        <source>No services yet: nodes whose beats name a service, or nodes grouped here, form one</source>
        <translation>尚无服务：心跳中指明服务的节点，或在此处分组的节点，会构成一个服务</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Group nodes…</source>
        <translation>节点分组…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ungroup</source>
        <translation>取消分组</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Watch nodes as one service: the recipe&apos;s primary and standby beating plain text</source>
        <translation>将多个节点作为一个服务监视：适用于经典做法中以纯文本发送心跳的主用和备用节点</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stop watching the selected group of nodes as a service</source>
        <translation>停止将所选节点组作为服务监视</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>takeover gap (ms)</source>
        <translation>接管间隙 (ms)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>How long each takeover left the service without a primary: the old primary&apos;s last beat to the new primary&apos;s first</source>
        <translation>每次接管使服务失去主用节点的时长：从旧主用节点的最后一次心跳到新主用节点的第一次心跳</translation>
    </message>
    <message>
        <location line="+117"/>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n service(s): %1</source>
        <translation>
            <numerusform>%n 个服务：%1</numerusform>
        </translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Members of %1 — %2</source>
        <translation>%1 的成员 — %2</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Select a service to see its members</source>
        <translation>选择一个服务以查看其成员</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>No takeover seen since Vigil started</source>
        <translation>自 Vigil 启动以来未发生接管</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Group nodes into a service</source>
        <translation>将节点分组为服务</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>A node that beats plain text counts as the service&apos;s primary while it beats. Nodes whose beats name their service need no grouping.</source>
        <translation>以纯文本发送心跳的节点在发送心跳期间被视为该服务的主用节点。心跳中指明所属服务的节点无需分组。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Service name:</source>
        <translation>服务名称：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nodes:</source>
        <translation>节点：</translation>
    </message>
</context>
<context>
    <name>vigil::Severity</name>
    <message>
        <location filename="../../model/journal/event.cpp" line="+12"/>
        <source>info</source>
        <translation>信息</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>critical</source>
        <translation>严重</translation>
    </message>
</context>
<context>
    <name>vigil::SnapshotDialog</name>
    <message>
        <location filename="../../widgets/snapshotdialog.cpp" line="+23"/>
        <source>If an AOF rewrite is running, start the save after it (BGSAVE SCHEDULE)</source>
        <translation>如果 AOF 重写正在进行，则在其完成后开始保存（BGSAVE SCHEDULE）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>I have read the warnings and want to proceed</source>
        <translation>我已阅读警告并希望继续</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Take snapshot</source>
        <translation>创建快照</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Snapshot of %1</source>
        <translation>%1 的快照</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Check</source>
        <translation>检查项</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>A background save (BGSAVE) of %1: the server forks and writes its dataset to disk.</source>
        <translation>对 %1 执行后台保存（BGSAVE）：服务器会 fork 子进程并将其数据集写入磁盘。</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>&lt;b&gt;Refused:&lt;/b&gt; a check failed.</source>
        <translation>&lt;b&gt;已拒绝：&lt;/b&gt;有检查项未通过。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%p % of %1 keys</source>
        <translation>%p %（共 %1 个键）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&lt;b&gt;Saved.&lt;/b&gt; %1</source>
        <translation>&lt;b&gt;已保存。&lt;/b&gt;%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&lt;b&gt;%1&lt;/b&gt; %2</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; %2</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Refused.</source>
        <translation>已拒绝。</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Failed.</source>
        <translation>失败。</translation>
    </message>
</context>
<context>
    <name>vigil::TargetStatusModel</name>
    <message>
        <location filename="../../model/monitor/targetstatusmodel.cpp" line="+58"/>
        <source>connected</source>
        <translation>已连接</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>auth failed</source>
        <translation>认证失败</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>disconnected</source>
        <translation>已断开</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Target</source>
        <translation>目标</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Repl. offset</source>
        <translation>复制偏移量</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Round trip</source>
        <translation>往返时间</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Detail</source>
        <translation>详情</translation>
    </message>
</context>
<context>
    <name>vigil::TargetsDialog</name>
    <message>
        <location filename="../../widgets/targetsdialog.cpp" line="+30"/>
        <source>&amp;Add</source>
        <translation>添加(&amp;A)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Update</source>
        <translation>更新(&amp;U)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Remove</source>
        <translation>移除(&amp;R)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Do not verify the servers&apos; certificates</source>
        <translation>不验证服务器证书</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Targets</source>
        <translation>目标</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sentinel</source>
        <translation>Sentinel</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>every group the sentinels watch</source>
        <translation>Sentinel 监视的所有组</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Passwords are never written to a file. Give one in the URI (redis://:password@host); Vigil asks for it when a server requires one and none was given.</source>
        <translation>密码从不写入文件。可在 URI 中提供（redis://:password@host）；服务器需要密码而未提供时，Vigil 会询问。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Remember passwords in the desktop keyring</source>
        <translation>在桌面密钥环中记住密码</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save these targets as a profile (File &gt; Save Profile As) to remember their passwords.</source>
        <translation>将这些目标保存为配置方案（文件 &gt; 配置方案另存为）后即可记住其密码。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Targets of %1</source>
        <translation>%1 的目标</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remember passwords in the desktop keyring (profile %1)</source>
        <translation>在桌面密钥环中记住密码（配置方案 %1）</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Master groups on the sentinels:</source>
        <translation>Sentinel 上的主节点组：</translation>
    </message>
    <message>
        <location line="+20"/>
        <source> ms</source>
        <translation> ms</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the system&apos;s CAs</source>
        <translation>系统 CA</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location line="+6"/>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Heartbeat channels:</source>
        <translation>心跳频道：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Channel patterns:</source>
        <translation>频道模式：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Poll every:</source>
        <translation>轮询间隔：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>TLS CA file:</source>
        <translation>TLS CA 文件：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Client certificate:</source>
        <translation>客户端证书：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Its key:</source>
        <translation>证书私钥：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Incident gap:</source>
        <translation>事故间隔：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Incident quiet time:</source>
        <translation>事故静默时间：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The poll period and TLS files apply at once; channels and patterns (comma-separated) and the incident settings at the next start.</source>
        <translation>轮询周期和 TLS 文件立即生效；频道和模式（以逗号分隔）以及事故设置在下次启动时生效。</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>No such file (or not readable): %1</source>
        <translation>文件不存在（或不可读）：%1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>A client key needs its certificate.</source>
        <translation>客户端私钥需要配套的证书。</translation>
    </message>
    <message>
        <location line="+60"/>
        <source>sentinel %1</source>
        <translation>Sentinel %1</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>%1 is already a target</source>
        <translation>%1 已经是目标</translation>
    </message>
</context>
<context>
    <name>vigil::TopologyPanel</name>
    <message>
        <location filename="../../widgets/topologypanel.cpp" line="+88"/>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Redis round trip</source>
        <translation>Redis 往返时间</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>round trip (ms)</source>
        <translation>往返时间 (ms)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Replica byte lag</source>
        <translation>副本字节延迟</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>lag (KiB)</source>
        <translation>延迟 (KiB)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Fit</source>
        <translation>适应窗口</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show the whole topology</source>
        <translation>显示整个拓扑</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>100 %</source>
        <translation>100 %</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Actual size (the mouse wheel zooms)</source>
        <translation>实际大小（鼠标滚轮可缩放）</translation>
    </message>
    <message>
        <location line="+23"/>
        <location line="+269"/>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <location line="-268"/>
        <location line="+269"/>
        <source>Raw INFO</source>
        <translation>原始 INFO</translation>
    </message>
    <message>
        <location line="-268"/>
        <source>Round trip</source>
        <translation>往返时间</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Replica lag</source>
        <translation>副本延迟</translation>
    </message>
    <message numerus="yes">
        <location line="+90"/>
        <source>%1 of %2 servers reachable, %n group(s)</source>
        <translation>
            <numerusform>%1/%2 台服务器可达，%n 个组</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>, %n sentinel(s)</source>
        <translation>
            <numerusform>，%n 个 Sentinel</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>, cluster %1</source>
        <translation>，集群 %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No servers: add targets with File → Targets, or start with --connect or --sentinel</source>
        <translation>没有服务器：请通过“文件 → 目标”添加目标，或使用 --connect 或 --sentinel 启动</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> · showing %1 alone</source>
        <translation> · 仅显示 %1</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Click a node to see its details.</source>
        <translation>单击节点以查看其详情。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>not polled</source>
        <translation>未轮询</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+71"/>
        <source>Overview</source>
        <translation>概览</translation>
    </message>
    <message>
        <location line="-70"/>
        <location line="+71"/>
        <source>health</source>
        <translation>健康状况</translation>
    </message>
    <message>
        <location line="-70"/>
        <location line="+71"/>
        <source>reachable</source>
        <translation>可达</translation>
    </message>
    <message>
        <location line="-71"/>
        <location line="+20"/>
        <location line="+9"/>
        <location line="+42"/>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location line="-71"/>
        <location line="+71"/>
        <source>no: %1</source>
        <translation>否：%1</translation>
    </message>
    <message>
        <location line="-70"/>
        <source>round trip</source>
        <translation>往返时间</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+69"/>
        <source>found</source>
        <translation>发现方式</translation>
    </message>
    <message>
        <location line="-69"/>
        <location line="+69"/>
        <source>through %1</source>
        <translation>经由 %1</translation>
    </message>
    <message>
        <location line="-69"/>
        <location line="+69"/>
        <source>given</source>
        <translation>手动指定</translation>
    </message>
    <message>
        <location line="-67"/>
        <source>also known as</source>
        <translation>别名</translation>
    </message>
    <message>
        <location line="+5"/>
        <source> (last known, %1)</source>
        <translation>（最近已知，%1）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Replication</source>
        <translation>复制</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>master</source>
        <translation>主节点</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>link</source>
        <translation>链路</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>last I/O</source>
        <translation>最近 I/O</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 s ago</source>
        <translation>%1 s 前</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+6"/>
        <source>offset</source>
        <translation>偏移量</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>byte lag</source>
        <translation>字节延迟</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>seconds since ACK</source>
        <translation>距上次 ACK 的秒数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>sync in progress</source>
        <translation>正在同步</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+9"/>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>replica priority</source>
        <translation>副本优先级</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>replicas</source>
        <translation>副本</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1, offset %2, lag %3 (%4 s)</source>
        <translation>%1，偏移量 %2，延迟 %3（%4 s）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>failover state</source>
        <translation>故障转移状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>loading</source>
        <translation>加载中</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>cluster node</source>
        <translation>集群节点</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cluster role</source>
        <translation>集群角色</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>slots</source>
        <translation>槽</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cluster flags</source>
        <translation>集群标志</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Persistence</source>
        <translation>持久化</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>last save</source>
        <translation>最近保存</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+6"/>
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>changes since save</source>
        <translation>自上次保存以来的更改</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>bgsave</source>
        <translation>bgsave</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+4"/>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <location line="-4"/>
        <location line="+4"/>
        <source>idle</source>
        <translation>空闲</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>last bgsave</source>
        <translation>最近 bgsave</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1, took %2 s</source>
        <translation>%1，耗时 %2 s</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>AOF</source>
        <translation>AOF</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>on, last write %1</source>
        <translation>开启，最近写入 %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>AOF rewrite</source>
        <translation>AOF 重写</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>scheduled</source>
        <translation>已计划</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>version</source>
        <translation>版本</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>run id</source>
        <translation>运行 ID</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>uptime</source>
        <translation>运行时间</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>clients</source>
        <translation>客户端</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>memory</source>
        <translation>内存</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Every INFO field</source>
        <translation>所有 INFO 字段</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+26"/>
        <source>No INFO reply yet.</source>
        <translation>尚未收到 INFO 回复。</translation>
    </message>
    <message>
        <location line="-21"/>
        <source>sentinel %1%2</source>
        <comment>sentinel address, then its problems</comment>
        <translation>Sentinel %1%2</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Master group %1</source>
        <translation>主节点组 %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>replica %1</source>
        <translation>副本 %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1, link %2, priority %3, offset %4</source>
        <translation>%1，链路 %2，优先级 %3，偏移量 %4</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>sentinel %1</source>
        <translation>Sentinel %1</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Promote…</source>
        <translation>提升…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Snapshot…</source>
        <translation>快照…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Round-trip chart</source>
        <translation>往返时间图表</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Copy address</source>
        <translation>复制地址</translation>
    </message>
</context>
<context>
    <name>vigil::TopologyView</name>
    <message>
        <location filename="../../widgets/topologyview.cpp" line="+33"/>
        <source>saved ?</source>
        <translation>保存时间未知</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>never saved · %1 changes</source>
        <translation>从未保存 · %1 次更改</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>saved %1 · %2 changes</source>
        <translation>保存于 %1 · %2 次更改</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>bgsave running</source>
        <translation>bgsave 进行中</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>rewriting</source>
        <translation>重写中</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>AOF off</source>
        <translation>AOF 关闭</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>unknown role</source>
        <translation>角色未知</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>STALE MASTER</source>
        <translation>过期主节点</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+402"/>
        <source>former master</source>
        <translation>原主节点</translation>
    </message>
    <message>
        <location line="-398"/>
        <location line="+33"/>
        <source>unreachable</source>
        <translation>不可达</translation>
    </message>
    <message>
        <location line="-31"/>
        <source>last known: %1, offset %2</source>
        <translation>最后已知：%1，偏移量 %2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>waiting for the first poll</source>
        <translation>等待首次轮询</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>offset %1 · link %2</source>
        <translation>偏移量 %1 · 链路 %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>lag %1 · %2 s · io %3 s</source>
        <translation>延迟 %1 · %2 s · io %3 s</translation>
    </message>
    <message numerus="yes">
        <location line="+5"/>
        <source>offset %1 · %n replica(s)</source>
        <translation>
            <numerusform>偏移量 %1 · %n 个副本</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 clients · %2 · up %3</source>
        <translation>%1 个客户端 · %2 · 运行 %3</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>quorum %1 · epoch %2 · %3 sentinels</source>
        <translation>法定数 %1 · 纪元 %2 · %3 个 Sentinel</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>failover: %1</source>
        <translation>故障转移：%1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>watches no master group</source>
        <translation>未监视任何主节点组</translation>
    </message>
    <message>
        <location line="+122"/>
        <source>Promote…</source>
        <translation>提升…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Snapshot…</source>
        <translation>快照…</translation>
    </message>
    <message>
        <location line="+139"/>
        <source>Sentinels</source>
        <translation>Sentinel</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>master %1</source>
        <translation>主节点 %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 (Sentinel)</source>
        <translation>%1（Sentinel）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>shard %1</source>
        <translation>分片 %1</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>lag ?</source>
        <translation>延迟未知</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>split brain</source>
        <translation>脑裂</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>link down</source>
        <translation>链路断开</translation>
    </message>
</context>
<context>
    <name>vigil::TrayIcon</name>
    <message>
        <location filename="../../widgets/trayicon.cpp" line="+20"/>
        <source>&amp;Show Vigil</source>
        <translation>显示 Vigil(&amp;S)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Vigil: no open incident</source>
        <translation>Vigil：没有进行中的事故</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Vigil: %n incident(s) open, the worst %1</source>
        <translation>
            <numerusform>Vigil：%n 个事故进行中，最严重级别为 %1</numerusform>
        </translation>
    </message>
</context>
</TS>
