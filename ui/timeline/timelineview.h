#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QTimer;

namespace vigil::models {
class TimelineModel;
}

namespace vigil::ui {

class TableView;

// The incident timeline of the cluster on screen (the "Incident timeline" dock): the events of
// a time window (15 min, 1 h, 6 h, 24 h, all), newest first, and "Export for post-mortem…",
// which writes the window as markdown (models::timelineMarkdown) to a file picked in a
// non-modal file dialog. The model is fed by the composition root (the recorder of the cluster
// shown); the view only reads it. A timer moves the window on every 30 s.
class TimelineView : public QWidget
{
    Q_OBJECT
public:
    explicit TimelineView(models::TimelineModel *model, QWidget *parent = nullptr);

    models::TimelineModel *model() const { return m_model; }
    TableView *table() const { return m_table; }
    QComboBox *windowBox() const { return m_window; }
    QPushButton *exportButton() const { return m_export; }

    // Writes the markdown of the window to `path`; false and a sentence in *error on failure.
    bool exportTo(const QString &path, QString *error = nullptr) const;
    void chooseExportFile();

private:
    void updateTitle();

    models::TimelineModel *m_model;
    QLabel *m_title;
    QComboBox *m_window;
    TableView *m_table;
    QPushButton *m_export;
    QTimer *m_tick;
};

} // namespace vigil::ui
