#include "ui/overview/bannerstrip.h"

#include "models/health.h"
#include "models/statussummary.h"

#include <QLabel>
#include <QVBoxLayout>

namespace vigil::ui {

BannerStrip::BannerStrip(QWidget *parent)
    : QWidget(parent)
    , m_layout(new QVBoxLayout(this))
{
    setObjectName(QStringLiteral("BannerStrip"));
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_layout->setSpacing(2);
    setVisible(false);
}

void BannerStrip::setSnapshot(const services::ClusterSnapshotPtr &snapshot)
{
    QList<QPair<int, QString>> banners;
    if (snapshot)
        for (const models::Banner &b : models::clusterBanners(*snapshot))
            banners.append({models::healthRank(b.severity), b.text});
    if (banners == m_banners)
        return;
    m_banners = banners;
    rebuild();
}

void BannerStrip::setExtra(const QString &text)
{
    if (text == m_extra)
        return;
    m_extra = text;
    rebuild();
}

QStringList BannerStrip::texts() const
{
    QStringList out;
    for (const auto &b : m_banners)
        out << b.second;
    if (!m_extra.isEmpty())
        out << m_extra;
    return out;
}

void BannerStrip::rebuild()
{
    while (QLayoutItem *item = m_layout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    auto add = [this](models::Health h, const QString &text) {
        auto *label = new QLabel(text, this);
        label->setWordWrap(true);
        label->setMargin(6);
        const QColor c = models::healthColor(h);
        label->setStyleSheet(
            QStringLiteral(
                "QLabel { background: %1; color: white; font-weight: bold; border-radius: 3px; }")
                .arg(c.name()));
        m_layout->addWidget(label);
    };
    for (const auto &b : m_banners)
        add(b.first >= 3 ? models::Health::Critical : models::Health::Warning, b.second);
    if (!m_extra.isEmpty())
        add(models::Health::Unknown, m_extra);
    setVisible(!m_banners.isEmpty() || !m_extra.isEmpty());
}

} // namespace vigil::ui
